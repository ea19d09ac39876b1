package dev.tideway.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JFR recording: execution samples (threads running Java code) plus
 * native-method samples whose top Java frame is RocksDB's (threads inside RocksDB's C++ code, which
 * JFR samples separately; both at 10 ms, so they add up). Aggregated by top frame, by package, by
 * thread (Flink names task threads after their operator chain) and by component anywhere in the
 * stack.
 */
final class JfrSummary {

    /** Components looked for anywhere in a sampled stack: inclusive shares. */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("RocksDB (state access, JNI)", "org.rocksdb.");
        COMPONENTS.put("flink-cep (NFA, shared buffer)", "org.apache.flink.cep.");
        COMPONENTS.put("Jackson (JSON parse and write)", "com.fasterxml.jackson.");
        COMPONENTS.put("Tideway codecs (decode, validate, encode)", "dev.tideway.common.codec.");
        COMPONENTS.put("Tideway job code (rules, functions)", "dev.tideway.jobs.");
        COMPONENTS.put("Flink serializers", "org.apache.flink.api.common.typeutils.");
        COMPONENTS.put("Flink POJO/Kryo serialization", "org.apache.flink.api.java.typeutils.");
        COMPONENTS.put("Kafka clients (fetch, produce)", "org.apache.kafka.");
        COMPONENTS.put("Flink network stack", "org.apache.flink.runtime.io.network.");
        COMPONENTS.put("Flink checkpointing", "org.apache.flink.runtime.checkpoint.");
        COMPONENTS.put("java.time parsing/formatting", "java.time.format.");
        COMPONENTS.put("BigDecimal arithmetic/parsing", "java.math.");
    }

    record Summary(long samples, String markdown) {}

    static Summary summarize(Path jfr, int top) throws IOException {
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        long samples = 0;
        long nativeRocksDb = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            boolean java = type.equals("jdk.ExecutionSample");
            if (!java && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            String topClass = frames.get(0).getMethod().getType().getName();
            if (!java && !topClass.startsWith("org.rocksdb.")) {
                continue; // a thread waiting in native code (sockets, epoll): not CPU
            }
            if (!java) {
                nativeRocksDb++;
            }
            samples++;
            String method = topClass + "." + frames.get(0).getMethod().getName();
            methods.merge(method + (java ? "" : " (native)"), 1L, Long::sum);
            packages.merge(packageOf(topClass), 1L, Long::sum);
            var thread = event.getThread("sampledThread");
            threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1L, Long::sum);
            for (var component : COMPONENTS.entrySet()) {
                for (RecordedFrame frame : frames) {
                    if (frame.getMethod().getType().getName().startsWith(component.getValue())) {
                        components.merge(component.getKey(), 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "%,d CPU samples (10 ms; %,d of them inside RocksDB's native code).%n%n",
                        samples, nativeRocksDb));
        table(md, "Components anywhere in the stack (inclusive)", components, samples, top);
        table(
                md,
                "Threads (Flink names task threads after their operator chain)",
                threads,
                samples,
                top);
        table(md, "Packages of the top frame (self)", packages, samples, top);
        table(md, "Top frames (self)", methods, samples, top);
        return new Summary(samples, md.toString());
    }

    private static void table(
            StringBuilder md, String title, Map<String, Long> counts, long total, int top) {
        md.append("**").append(title).append("**\n\n| | samples | share |\n|---|---:|---:|\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e ->
                                md.append(
                                        String.format(
                                                "| `%s` | %,d | %.1f %% |%n",
                                                e.getKey(),
                                                e.getValue(),
                                                100.0 * e.getValue() / Math.max(1, total))));
        md.append('\n');
    }

    /** The first four segments: org.apache.flink.runtime, com.fasterxml.jackson.core, ... */
    static String packageOf(String className) {
        String[] parts = className.split("\\.");
        int segments = Math.min(parts.length - 1, 4);
        return segments <= 0 ? className : String.join(".", List.of(parts).subList(0, segments));
    }

    /** "rule: card testing (cep) (1/2)#0" and "(2/2)#0" are one operator chain. */
    static String threadGroup(String name) {
        return name == null
                ? "?"
                : name.replaceAll(" \\(\\d+/\\d+\\)(#\\d+)?$", "").replaceAll("-\\d+$", "-N");
    }

    private JfrSummary() {}
}
