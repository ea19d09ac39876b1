package dev.tideway.jobs;

import dev.tideway.jobs.archive.LakeArchiveJob;
import dev.tideway.jobs.clicks.ClickstreamJob;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.sensors.SensorMonitoringJob;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job jar's entry point: runs a Tideway job by name, on a cluster ({@code flink run
 * tideway-jobs-job.jar fraud --key value ...}) or locally ({@code java -cp ... fraud ...}).
 */
public final class Tideway {

    /** A job's main method. */
    @FunctionalInterface
    interface JobMain {
        void run(String[] args) throws Exception;
    }

    static final Map<String, JobMain> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("fraud", FraudDetectionJob::main);
        JOBS.put("generator", GeneratorJob::main);
        JOBS.put("sensors", SensorMonitoringJob::main);
        JOBS.put("clicks", ClickstreamJob::main);
        JOBS.put("archive", LakeArchiveJob::main);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !JOBS.containsKey(args[0])) {
            throw new IllegalArgumentException(
                    (args.length == 0 ? "No job named" : "Unknown job '" + args[0] + "'")
                            + ". Usage: <job> [--key value ...], where <job> is one of "
                            + JOBS.keySet());
        }
        JOBS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }

    private Tideway() {}
}
