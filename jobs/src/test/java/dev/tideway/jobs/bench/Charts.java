package dev.tideway.jobs.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The PNG charts of a bench run (XChart, rendered headless). */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    static void write(BenchResults results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (results.throughput != null) {
            results.charts.add(save(throughput(results.throughput), dir, "throughput.png"));
        }
        if (!results.latency.isEmpty()) {
            results.charts.add(save(latency(results.latency), dir, "latency.png"));
        }
        if (results.recovery != null) {
            results.charts.add(save(recovery(results.recovery), dir, "recovery.png"));
        }
        if (!results.state.isEmpty()) {
            results.charts.add(save(stateThroughput(results.state), dir, "state-scale.png"));
            results.charts.add(save(stateMemory(results.state), dir, "state-memory.png"));
        }
    }

    private static CategoryChart throughput(ThroughputSection.Result result) {
        CategoryChart chart =
                category("Throughput per job (exactly-once, RocksDB)", "job", "events/s");
        List<String> jobs = result.rows().stream().map(r -> r.job().name()).distinct().toList();
        for (int parallelism :
                result.rows().stream()
                        .mapToInt(ThroughputSection.Row::parallelism)
                        .distinct()
                        .toArray()) {
            List<Double> values = new ArrayList<>();
            for (String job : jobs) {
                values.add(
                        result.rows().stream()
                                .filter(
                                        r ->
                                                r.job().name().equals(job)
                                                        && r.parallelism() == parallelism)
                                .mapToDouble(ThroughputSection.Row::perSecond)
                                .findFirst()
                                .orElse(0));
            }
            chart.addSeries("parallelism " + parallelism, jobs, values);
        }
        // Each job's baseline as its share was taken: the mean of those around its first run.
        List<Double> baselines = new ArrayList<>();
        for (String job : jobs) {
            baselines.add(
                    result.rows().stream()
                            .filter(r -> r.job().name().equals(job))
                            .mapToDouble(ThroughputSection.Row::baselinePerSecond)
                            .findFirst()
                            .orElse(0));
        }
        chart.addSeries(
                "baseline: KafkaConsumer + decode, 1 thread (around the job)", jobs, baselines);
        return chart;
    }

    private static CategoryChart latency(List<LatencySection.Row> rows) {
        CategoryChart chart =
                category(
                        "Event to alert visible to read_committed (0.1 ms: none visible)",
                        "generator rate",
                        "ms (log)");
        chart.getStyler().setYAxisLogarithmic(true);
        // XChart draws no bars on a log axis (they start at 0): lines with markers instead.
        chart.getStyler()
                .setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        List<String> rates = rows.stream().map(r -> r.sent().phase().name()).distinct().toList();
        for (LatencyMode mode : rows.stream().map(LatencySection.Row::mode).distinct().toList()) {
            for (String percentile : List.of("p50", "p99")) {
                List<Double> values = new ArrayList<>();
                for (String rate : rates) {
                    values.add(
                            rows.stream()
                                    .filter(
                                            r ->
                                                    r.mode() == mode
                                                            && r.sent().phase().name().equals(rate))
                                    .mapToDouble(
                                            r ->
                                                    percentile.equals("p50")
                                                            ? r.visible().p50()
                                                            : r.visible().p99())
                                    .map(v -> v > 0 ? v : 0.1)
                                    .findFirst()
                                    .orElse(0.1));
                }
                chart.addSeries(mode.label + " " + percentile, rates, values);
            }
        }
        return chart;
    }

    private static XYChart recovery(RecoverySection.Result result) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(
                                String.format(
                                        "Recovery at %,d events/s: lag of each visible alert",
                                        result.rate()))
                        .xAxisTitle("seconds since the generator started")
                        .yAxisTitle("event to visible, ms")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] x = result.lag().stream().mapToDouble(p -> p[0]).toArray();
        double[] y = result.lag().stream().mapToDouble(p -> p[1]).toArray();
        if (x.length == 0) {
            x = new double[] {0};
            y = new double[] {0};
        }
        chart.addSeries("alert lag", x, y)
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double top = 1;
        for (double v : y) {
            top = Math.max(top, v);
        }
        chart.addSeries(
                        "injected failure",
                        new double[] {result.failureSecond(), result.failureSecond()},
                        new double[] {0, top})
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    private static CategoryChart stateThroughput(List<StateSection.Row> rows) {
        CategoryChart chart =
                category(
                        "Fraud job throughput by distinct cards (parallelism 1)",
                        "cards",
                        "events/s");
        chart.addSeries(
                "events/s",
                rows.stream().map(r -> String.format("%,d", r.cards())).toList(),
                rows.stream().map(StateSection.Row::perSecond).toList());
        return chart;
    }

    private static CategoryChart stateMemory(List<StateSection.Row> rows) {
        CategoryChart chart =
                category("Memory of the job's process by distinct cards", "cards", "MiB");
        List<String> cards = rows.stream().map(r -> String.format("%,d", r.cards())).toList();
        chart.addSeries(
                "peak RSS (heap + RocksDB + JVM)",
                cards,
                rows.stream().map(r -> r.process().peakRssBytes() / 1048576.0).toList());
        chart.addSeries(
                "peak heap used",
                cards,
                rows.stream().map(r -> r.process().peakHeapBytes() / 1048576.0).toList());
        return chart;
    }

    private static CategoryChart category(String title, String x, String y) {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(x)
                        .yAxisTitle(y)
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisDecimalPattern("#,###.#");
        return chart;
    }

    private static Path save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }

    private Charts() {}
}
