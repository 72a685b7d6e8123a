package dev.scep.train.analysis;

import dev.scep.formats.io.OutputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.scep.train.chart.Html.escape;

/**
 * The files an analysis leaves in its folder: its tables (TSV), its figures (PNG) and its report ({@code <name>.html},
 * so that several analyses, and a cross-validation's own {@code report.html}, can share a folder), a static page that
 * shows them all, the figures embedded, so it reads with JavaScript off, offline and in a PDF printout.
 * Each file is written atomically and never over one of the analysis' inputs. Not thread-safe.
 */
final class AnalysisReport {
    private record Table(String file, String caption, List<String> header, List<List<String>> rows) {
    }

    private record Figure(String file, String caption, byte[] png) {
    }

    private final String name;
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<Table> tables = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();

    /** A report {@code <name>.html} with a title. */
    AnalysisReport(String name, String title) {
        this.name = name;
        this.title = title;
    }

    AnalysisReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table, written as {@code file} and shown in the page (every row, or the first {@code shown}). */
    AnalysisReport table(String file, String caption, List<String> header, List<List<String>> rows, int shown) {
        for (String h : header) {
            dev.scep.formats.text.TsvField.check("column", h);
        }
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(file + ": a row of " + row.size() + " fields under " + header.size() + " columns");
            }
            for (String v : row) {
                dev.scep.formats.text.TsvField.check(file + " field", v);
            }
        }
        tables.add(new Table(file, caption, List.copyOf(header), List.copyOf(rows)));
        body.append("<h2>").append(escape(caption)).append("</h2>\n<p><a href=\"").append(escape(file)).append("\">")
                .append(escape(file)).append("</a>");
        if (shown == 0) {
            body.append(String.format(java.util.Locale.ROOT, " (%,d rows)</p>%n", rows.size()));
            return this;
        }
        if (rows.size() > shown) {
            body.append(String.format(java.util.Locale.ROOT, " (the first %,d of %,d rows)", shown, rows.size()));
        }
        body.append("</p>\n<table><tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> row : rows.subList(0, Math.min(shown, rows.size()))) {
            body.append("<tr>");
            for (String v : row) {
                body.append("<td>").append(escape(v)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A figure, written as {@code file} and embedded in the page. */
    AnalysisReport figure(String file, String caption, byte[] png) {
        figures.add(new Figure(file, caption, png));
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append(" (<a href=\"").append(escape(file)).append("\">").append(escape(file)).append("</a>)</figcaption></figure>\n");
        return this;
    }

    /**
     * Writes the tables, the figures and the page into a folder.
     *
     * @param folder the folder (made when its parent exists)
     * @param inputs the files the analysis read; no output may replace one
     * @return the files written, report last
     */
    List<Path> write(Path folder, Path... inputs) throws IOException {
        OutputFile.folder(folder);
        List<Path> written = new ArrayList<>();
        for (Table t : tables) {
            Path p = folder.resolve(t.file);
            try (OutputFile f = OutputFile.createTable(p, inputs)) {
                var w = f.writer();
                w.write(String.join("\t", t.header) + "\n");
                for (List<String> row : t.rows) {
                    w.write(String.join("\t", row) + "\n");
                }
                f.commit();
            }
            written.add(p);
        }
        for (Figure fig : figures) {
            Path p = folder.resolve(fig.file);
            try (OutputFile f = OutputFile.create(p, inputs)) {
                f.stream().write(fig.png);
                f.commit();
            }
            written.add(p);
        }
        Path report = folder.resolve(name + ".html");
        try (OutputFile f = OutputFile.create(report, inputs)) {
            f.writer().write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                    + "<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}"
                    + "td,th{border:1px solid #ccc;padding:3px 8px}th{background:#eee}img{max-width:100%}"
                    + "figure{margin:1em 0}</style></head><body>\n<h1>" + escape(title) + "</h1>\n" + body
                    + "</body></html>\n");
            f.commit();
        }
        written.add(report);
        return written;
    }

    /** A number for a table: NaN as {@code NA} (as R and pandas read it), others with up to 6 significant digits. */
    static String number(double v) {
        return Double.isNaN(v) ? "NA" : String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
