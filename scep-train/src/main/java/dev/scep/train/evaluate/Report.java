package dev.scep.train.evaluate;

import dev.scep.formats.io.OutputFile;
import dev.scep.train.cv.CvPredictions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static dev.scep.train.chart.Html.escape;

/**
 * A self-contained HTML report of a cross-validation: the metrics table, per-population performance across folds
 * (as the paper's Figure 1E/F), true-versus-predicted scatter plots per population, and the distribution of
 * per-gene correlations across populations. Charts are drawn by Chart.js (MIT licence), inlined so the file works
 * offline and can be mailed around; the same figures are also embedded as static PNGs (drawn here with java.awt),
 * which read with JavaScript off and print to PDF.
 */
public final class Report {
    private static final int MAX_POINTS = 3000;

    private Report() {
    }

    /**
     * Writes the report. Scatter plots show every k-th gene, k = genes ÷ 3,000 rounded down (at least 1).
     *
     * @param file   the HTML file to write, through an {@link OutputFile}
     * @param p      the out-of-fold predictions (log10 expression)
     * @param e      their evaluation
     * @param title  the page title (escaped)
     * @param inputs the files the job read (the output may not replace one)
     * @throws dev.scep.formats.io.OutputIsInputException when {@code file} is one of {@code inputs}
     * @throws IOException when the file cannot be written, or Chart.js is missing from the jar
     */
    public static void write(Path file, CvPredictions p, Evaluation e, String title, Path... inputs) throws IOException {
        String chartJs;
        try (InputStream in = Report.class.getResourceAsStream("chart.umd.js")) {
            if (in == null) {
                throw new IOException("chart.umd.js is missing from the scep-train jar");
            }
            chartJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder html = new StringBuilder(1 << 16);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}"
                        + ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:1em}"
                        + "canvas{max-width:100%}</style>\n<script>").append(chartJs.replace("</script", "<\\/script")).append("</script>\n")
                .append("</head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        html.append(String.format(Locale.ROOT, "<p>%,d genes, %d folds, %d populations. Pearson's r between predicted and "
                + "observed log10 expression over each fold's test genes; medians across folds.</p>%n", p.genes(), p.folds(),
                p.populations().size()));
        table(html, e);
        html.append("<h2>Performance per population across folds</h2>\n<canvas id=\"folds\" height=\"110\"></canvas>\n");
        html.append("<h2>Predicted versus observed (out-of-fold)</h2>\n<div class=\"grid\">\n");
        for (int k = 0; k < p.populations().size(); k++) {
            html.append("<div><canvas id=\"scatter").append(k).append("\"></canvas></div>\n");
        }
        html.append("</div>\n<h2>Per-gene Pearson's r across populations</h2>\n<canvas id=\"genes\" height=\"90\"></canvas>\n");
        html.append("<script>\n");
        foldChart(html, e);
        for (int k = 0; k < p.populations().size(); k++) {
            scatter(html, p, k);
        }
        geneHistogram(html, e);
        html.append("</script>\n");
        staticFigures(html, p, e);
        html.append("<p style=\"color:#888\">Charts: Chart.js 4.4.7 (MIT licence); static figures drawn by scep.</p></body></html>\n");
        try (OutputFile f = OutputFile.create(file, inputs)) {
            f.writer().write(html.toString());
            f.commit();
        }
    }

    /** The figures again as PNG images in the page: readable without JavaScript and in a printout. */
    private static void staticFigures(StringBuilder html, CvPredictions p, Evaluation e) {
        List<String> names = e.populations().stream().map(Report::shortName).toList();
        dev.scep.train.chart.Plot folds = new dev.scep.train.chart.Plot("Performance per population across folds",
                "population", "Pearson's r (test genes)").categories(names);
        double[][] fold = e.foldPearson();
        for (int f = 0; f < fold.length; f++) {
            double[] x = new double[names.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = k + ((f + 0.5) / fold.length * 0.5 - 0.25);
            }
            folds.points(x, fold[f], new java.awt.Color(70, 110, 200), 3, f == 0 ? "fold" : null);
        }
        double[] at = java.util.stream.IntStream.range(0, names.size()).asDoubleStream().toArray();
        folds.points(at, e.medianPearson(), new java.awt.Color(200, 50, 50), 7, "median");
        if (e.tissueMedianPearson() != null) {
            folds.points(at, e.tissueMedianPearson(), new java.awt.Color(40, 150, 60), 6, "tissue model median");
        }
        html.append("<h2>Figures (static)</h2>\n");
        image(html, folds.png(1000, 460), "Performance per population across folds");
        float[][] observed = p.observed();
        float[][] predicted = p.predicted();
        int step = Math.max(1, p.genes() / MAX_POINTS);
        html.append("<div class=\"grid\">\n");
        for (int k = 0; k < Math.min(names.size(), 24); k++) {
            double[] x = new double[(p.genes() + step - 1) / step];
            double[] y = new double[x.length];
            for (int g = 0, i = 0; g < p.genes() && i < x.length; g += step, i++) {
                x[i] = observed[g][k];
                y[i] = predicted[g][k];
            }
            image(html, new dev.scep.train.chart.Plot(names.get(k), "observed log10 expression", "predicted")
                    .points(x, y, new java.awt.Color(40, 40, 40), 1, null).png(480, 400), "predicted versus observed, " + names.get(k));
        }
        html.append("</div>\n");
        int bins = 20;
        double[] counts = new double[bins];
        for (double r : e.geneAcross()) {
            if (Double.isFinite(r)) {
                counts[Math.min(bins - 1, (int) ((r + 1) / 2 * bins))]++;
            }
        }
        double[] centre = java.util.stream.IntStream.range(0, bins).mapToDouble(b -> -1 + (b + 0.5) * 2.0 / bins).toArray();
        image(html, new dev.scep.train.chart.Plot("Per-gene Pearson's r across populations", "r across populations",
                "genes").line(centre, counts, new java.awt.Color(60, 150, 120), null).png(900, 360), "per-gene r across populations");
    }

    private static void image(StringBuilder html, byte[] png, String alt) {
        html.append("<img style=\"max-width:100%\" alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(java.util.Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    /** The last step of a nested population name, for axis labels. */
    private static String shortName(String population) {
        int slash = population.lastIndexOf('/');
        return slash >= 0 && population.indexOf('=', slash) > 0 ? population.substring(slash + 1) : population;
    }

    private static void table(StringBuilder html, Evaluation e) {
        html.append("<table><tr><th style=\"text-align:left\">population</th><th>median r</th><th>pooled r</th>");
        if (e.deltaCpT() != null) {
            html.append("<th>tissue model median r</th><th>Δcp,t</th>");
        }
        if (e.ceilingMedianPearson() != null) {
            html.append("<th>ceiling (truth vs observed)</th><th>r / ceiling</th>");
        }
        html.append("</tr>\n");
        for (int k = 0; k < e.populations().size(); k++) {
            html.append("<tr><td style=\"text-align:left\">").append(escape(e.populations().get(k))).append("</td>")
                    .append(cell(e.medianPearson()[k])).append(cell(e.pooledPearson()[k]));
            if (e.deltaCpT() != null) {
                html.append(cell(e.tissueMedianPearson()[k])).append(cell(e.deltaCpT()[k]));
            }
            if (e.ceilingMedianPearson() != null) {
                html.append(cell(e.ceilingMedianPearson()[k])).append(cell(e.medianPearson()[k] / e.ceilingMedianPearson()[k]));
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String cell(double v) {
        return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–") + "</td>";
    }

    private static void foldChart(StringBuilder html, Evaluation e) {
        StringBuilder folds = new StringBuilder();
        StringBuilder medians = new StringBuilder();
        StringBuilder tissue = new StringBuilder();
        for (int k = 0; k < e.populations().size(); k++) {
            for (int f = 0; f < e.foldPearson().length; f++) {
                double jitter = (f + 0.5) / e.foldPearson().length * 0.5 - 0.25;
                point(folds, k + jitter, e.foldPearson()[f][k]);
            }
            point(medians, k, e.medianPearson()[k]);
            if (e.tissueMedianPearson() != null) {
                point(tissue, k, e.tissueMedianPearson()[k]);
            }
        }
        html.append("new Chart(document.getElementById('folds'),{type:'scatter',data:{datasets:[")
                .append("{label:'fold',data:[").append(folds).append("],pointRadius:3,backgroundColor:'rgba(70,110,200,0.5)'},")
                .append("{label:'median',data:[").append(medians).append("],pointRadius:9,pointStyle:'line',borderWidth:3,borderColor:'#c33'}");
        if (e.tissueMedianPearson() != null) {
            html.append(",{label:'tissue model median',data:[").append(tissue).append("],pointRadius:7,pointStyle:'triangle',backgroundColor:'#2a2'}");
        }
        html.append("]},options:{scales:{x:{min:-0.5,max:").append(e.populations().size() - 0.5)
                .append(",ticks:{stepSize:1,callback:v=>").append(jsArray(e.populations())).append("[v]??''}},")
                .append("y:{title:{display:true,text:\"Pearson's r (test genes)\"}}}}});\n");
    }

    private static void scatter(StringBuilder html, CvPredictions p, int k) {
        StringBuilder pts = new StringBuilder();
        int step = Math.max(1, p.genes() / MAX_POINTS);
        float[][] observed = p.observed();
        float[][] predicted = p.predicted();
        for (int g = 0; g < p.genes(); g += step) {
            point(pts, observed[g][k], predicted[g][k]);
        }
        html.append("new Chart(document.getElementById('scatter").append(k).append("'),{type:'scatter',data:{datasets:[{label:")
                .append(jsString(p.populations().get(k))).append(",data:[").append(pts)
                .append("],pointRadius:1.5,backgroundColor:'rgba(40,40,40,0.35)'}]},options:{plugins:{legend:{display:true}},")
                .append("scales:{x:{title:{display:true,text:'observed log10 expression'}},y:{title:{display:true,text:'predicted'}}}}});\n");
    }

    private static void geneHistogram(StringBuilder html, Evaluation e) {
        int bins = 20;
        int[] counts = new int[bins];
        for (double r : e.geneAcross()) {
            if (Double.isFinite(r)) {
                counts[Math.min(bins - 1, (int) ((r + 1) / 2 * bins))]++;
            }
        }
        StringBuilder labels = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int b = 0; b < bins; b++) {
            labels.append(b == 0 ? "" : ",").append(String.format(Locale.ROOT, "'%.1f'", -1 + 2.0 * b / bins));
            values.append(b == 0 ? "" : ",").append(counts[b]);
        }
        html.append("new Chart(document.getElementById('genes'),{type:'bar',data:{labels:[").append(labels)
                .append("],datasets:[{label:'genes',data:[").append(values).append("],backgroundColor:'#7a9'}]},")
                .append("options:{scales:{x:{title:{display:true,text:\"r across populations (bin start)\"}}}}});\n");
    }

    private static void point(StringBuilder sb, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(',');
        }
        sb.append(String.format(Locale.ROOT, "{x:%.4g,y:%.4g}", x, y));
    }

    private static String jsArray(java.util.List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(jsString(values.get(i)));
        }
        return sb.append(']').toString();
    }

    private static String jsString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("<", "\\u003c") + "\"";
    }

}
