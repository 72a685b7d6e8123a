package dev.scep.train.evaluate;

import dev.scep.formats.io.OutputFile;
import dev.scep.train.cv.CvPredictions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A self-contained HTML report of a cross-validation: the metrics table, per-population performance across folds
 * (as the paper's Figure 1E/F), true-versus-predicted scatter plots per population, and the distribution of
 * per-gene correlations across populations. Charts are drawn by Chart.js (MIT licence), inlined so the file works
 * offline and can be mailed around.
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
        html.append("</script>\n<p style=\"color:#888\">Charts: Chart.js 4.4.7 (MIT licence).</p></body></html>\n");
        try (OutputFile f = OutputFile.create(file, inputs)) {
            f.writer().write(html.toString());
            f.commit();
        }
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

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
