package dev.tideway.jobs.bench;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.TransactionScenario;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput of the fraud job against the practical limit: a plain KafkaConsumer that reads and
 * decodes the same topic on one thread. Preloads N generated transactions into a real broker, then
 * runs the baseline and the job (bounded to the preloaded offsets, exactly-once, RocksDB, the
 * checkpoints of flink-conf/config.yaml) at parallelism 1 and 2, and prints a markdown table. Work
 * in progress toward issue 6: latency, recovery and state scale are not measured yet.
 *
 * <pre>scripts/bench [--events N] [--quick]</pre>
 */
public final class ThroughputBench {

    record Row(String what, int parallelism, long events, double seconds, double cores) {
        double perSecond() {
            return events / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        long events = 5_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
                case "--quick" -> events = 50_000;
                default ->
                        throw new IllegalArgumentException(
                                "usage: [--events N] [--quick]; unknown " + args[i]);
            }
        }
        KafkaBroker kafka = new KafkaBroker();
        kafka.start();
        try {
            List<Row> rows = run(kafka.bootstrapServers(), events);
            String table = table(rows, events);
            System.out.println(table);
            Path results = Path.of("..", "bench-results");
            Files.createDirectories(results);
            Path file =
                    results.resolve(
                            "throughput-"
                                    + LocalDateTime.now()
                                            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                                    + ".md");
            Files.writeString(file, table);
            System.out.println("Written to " + file.toAbsolutePath().normalize());
        } finally {
            kafka.stop();
        }
        System.exit(0);
    }

    static List<Row> run(String bootstrap, long events) throws Exception {
        String topic = "bench-transactions";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(topic, 4, (short) 1),
                                    new NewTopic("bench-alerts", 2, (short) 1),
                                    new NewTopic("bench-dead-letters", 2, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            "max.message.bytes",
                                                            "" + KafkaBroker.MAX_MESSAGE_BYTES))))
                    .all()
                    .get();
        }
        preload(bootstrap, topic, events);
        List<Row> rows = new ArrayList<>();
        rows.add(baseline(bootstrap, topic, events));
        for (int parallelism : new int[] {1, 2}) {
            rows.add(fraudJob(bootstrap, topic, events, parallelism));
        }
        return rows;
    }

    private static void preload(String bootstrap, String topic, long events) {
        TransactionScenario scenario =
                new TransactionScenario(
                        42,
                        events,
                        100_000,
                        0.01,
                        0.05,
                        Duration.ofSeconds(2),
                        0.001,
                        3,
                        Instant.now().minus(Duration.ofHours(2)),
                        0);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("linger.ms", "20");
        props.put("batch.size", "262144");
        props.put("compression.type", "lz4");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                GeneratedRecord r = scenario.record(i);
                producer.send(new ProducerRecord<>(topic, r.key, r.value));
                if ((i + 1) % 500_000 == 0) {
                    progress("preloading", i + 1, events, start);
                }
            }
        }
        progress("preloaded", events, events, start);
    }

    /** One thread: poll and decode every record, as fast as Kafka and Jackson allow. */
    private static Row baseline(String bootstrap, String topic, long events) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "bench-baseline");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("isolation.level", "read_committed");
        CardTransactionCodec codec = new CardTransactionCodec();
        long read = 0, valid = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (read < events) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    if (codec.decode(record.value()).isValid()) {
                        valid++;
                    }
                    read++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("baseline: %,d records (%,d valid) in %.1f s%n", read, valid, seconds);
        return new Row("KafkaConsumer + decode, no Flink (baseline)", 1, read, seconds, 1);
    }

    private static Row fraudJob(String bootstrap, String topic, long events, int parallelism)
            throws Exception {
        // Under target/, not /tmp: one folder per run, removed by mvn clean.
        Path checkpoints =
                Files.createDirectories(
                        Path.of(
                                        "target",
                                        "bench-checkpoints",
                                        "p" + parallelism + "-" + System.nanoTime())
                                .toAbsolutePath());
        Configuration config = TestFlinkConfig.load(checkpoints);
        // Production settings: config.yaml's checkpoint interval, not the tests' 300 ms.
        config.setString("execution.checkpointing.interval", "10s");
        config.setString("parallelism.default", String.valueOf(parallelism));
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrap);
        config.set(KafkaOptions.BOUNDED, true);
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-p" + parallelism);
        config.set(FraudOptions.TRANSACTIONS_TOPIC, topic);
        config.set(FraudOptions.ALERTS_TOPIC, "bench-alerts");
        config.set(FraudOptions.DEAD_LETTER_TOPIC, "bench-dead-letters");
        config.set(FraudOptions.GROUP_ID, "bench-fraud-p" + parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        FraudDetectionJob.fromConfig(config, env).build(env);
        System.out.printf(
                "fraud job, parallelism %d: running on %,d records ...%n", parallelism, events);
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("bench fraud p" + parallelism);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "fraud job, parallelism %d: %.1f s (net runtime %.1f s)%n",
                parallelism, seconds, result.getNetRuntime() / 1000.0);
        return new Row(
                "fraud job (3 rules, exactly-once, RocksDB, 10 s checkpoints)",
                parallelism,
                events,
                result.getNetRuntime() / 1000.0,
                Math.min(parallelism, Runtime.getRuntime().availableProcessors()));
    }

    static String table(List<Row> rows, long events) {
        double baseline = rows.get(0).perSecond();
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "Throughput, %,d card transactions, 4 partitions, %d cores, Java %s%n%n",
                        events,
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version")));
        out.append("| what | parallelism | events/s | events/s per core | of baseline |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(
                    String.format(
                            "| %s | %d | %,.0f | %,.0f | %.1f %% |%n",
                            row.what(),
                            row.parallelism(),
                            row.perSecond(),
                            row.perSecond() / row.cores(),
                            100 * row.perSecond() / baseline));
        }
        return out.toString();
    }

    private static void progress(String what, long done, long total, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s %,d of %,d (%.0f/s)%n", what, done, total, done / seconds);
    }

    private ThroughputBench() {}
}
