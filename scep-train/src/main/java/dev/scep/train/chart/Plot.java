package dev.scep.train.chart;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few static charts the analyses draw, as PNG bytes: x–y plots (points, lines, labelled points, categorical or
 * numeric x axis) and annotated heatmaps. Drawn with java.awt in headless mode, so they need no display and read
 * without JavaScript, in a browser or a PDF printout. Not thread-safe; one chart per instance. Internal to
 * scep-train (the analyses' and the cross-validation report's figures).
 */
public final class Plot {
    /** Distinct colours for series, in order. */
    public static final Color[] PALETTE = {new Color(40, 90, 180), new Color(200, 60, 40), new Color(40, 150, 70),
            new Color(150, 80, 170), new Color(220, 140, 20), new Color(30, 160, 170), new Color(120, 120, 120),
            new Color(180, 60, 130)};
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int LEGEND_CHAR = 7;
    private static final int TOP = 46;

    private record Series(double[] x, double[] y, String[] labels, Color color, boolean line, int radius, String name) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> verticals = new ArrayList<>();
    private List<String> categories;
    private boolean logX;

    public Plot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Names the x positions 0, 1, … instead of numbering them (levels, populations). */
    public Plot categories(List<String> names) {
        this.categories = List.copyOf(names);
        return this;
    }

    /** Draws x on a log10 scale (its values must be positive; others are left out). */
    public Plot logX() {
        this.logX = true;
        return this;
    }

    public Plot points(double[] x, double[] y, Color color, int radius, String name) {
        series.add(new Series(x.clone(), y.clone(), null, color, false, radius, name));
        return this;
    }

    public Plot line(double[] x, double[] y, Color color, String name) {
        series.add(new Series(x.clone(), y.clone(), null, color, true, 3, name));
        return this;
    }

    public Plot labelled(double[] x, double[] y, String[] labels, Color color) {
        series.add(new Series(x.clone(), y.clone(), labels.clone(), color, false, 5, null));
        return this;
    }

    /** A dashed vertical line at x. */
    public Plot vertical(double x) {
        verticals.add(new double[]{x});
        return this;
    }

    private double tx(double x) {
        return logX ? Math.log10(x) : x;
    }

    private static boolean usable(double v) {
        return Double.isFinite(v);
    }

    public byte[] png(int width, int height) {
        int bottom = categories == null ? 56 : 36 + longestLabel(categories) * 6;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                double x = tx(s.x[i]);
                if (usable(x) && usable(s.y[i])) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, s.y[i]);
                    maxY = Math.max(maxY, s.y[i]);
                }
            }
        }
        if (categories != null) {
            minX = -0.5;
            maxX = categories.size() - 0.5;
        }
        if (minX > maxX) {           // nothing finite to draw: an empty frame
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (maxX - minX < 1e-12) {
            minX -= 0.5;
            maxX += 0.5;
        }
        if (maxY - minY < 1e-12) {
            minY -= 0.5;
            maxY += 0.5;
        }
        double padY = (maxY - minY) * 0.06;
        minY -= padY;
        maxY += padY;
        if (categories == null) {
            double padX = (maxX - minX) * 0.04;
            minX -= padX;
            maxX += padX;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int legendW = series.stream().filter(s -> s.name != null).mapToInt(s -> 30 + LEGEND_CHAR * s.name.length()).max().orElse(0);
        int plotW = width - LEFT - RIGHT - legendW;
        int plotH = height - TOP - bottom;
        Axis ax = new Axis(minX, maxX, LEFT, plotW, false);
        Axis ay = new Axis(minY, maxY, TOP, plotH, true);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        // grid and ticks
        double[] yTicks = ticks(minY, maxY);
        for (double t : yTicks) {
            int y = ay.pixel(t);
            g.setColor(new Color(235, 235, 235));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String s = tick(t, yTicks);
            g.drawString(s, LEFT - 6 - fm.stringWidth(s), y + 4);
        }
        if (categories != null) {
            for (int i = 0; i < categories.size(); i++) {
                int x = ax.pixel(i);
                g.setColor(new Color(235, 235, 235));
                g.drawLine(x, TOP, x, TOP + plotH);
                g.setColor(Color.DARK_GRAY);
                AffineTransform saved = g.getTransform();
                g.translate(x + 4, TOP + plotH + 8);
                g.rotate(Math.toRadians(35));
                g.drawString(categories.get(i), 0, 0);
                g.setTransform(saved);
            }
        } else {
            double[] xTicks = logX ? logTicks(minX, maxX) : ticks(minX, maxX);
            for (double t : xTicks) {
                int x = ax.pixel(t);
                g.setColor(new Color(235, 235, 235));
                g.drawLine(x, TOP, x, TOP + plotH);
                g.setColor(Color.DARK_GRAY);
                String s = logX ? new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", Math.pow(10, t)))
                        .stripTrailingZeros().toPlainString() : tick(t, xTicks);
                g.drawString(s, x - fm.stringWidth(s) / 2, TOP + plotH + 16);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.setColor(new Color(90, 90, 90));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 5}, 0));
        for (double[] v : verticals) {
            if (usable(tx(v[0]))) {
                int x = ax.pixel(tx(v[0]));
                g.drawLine(x, TOP, x, TOP + plotH);
            }
        }
        int legendY = TOP + 16;
        for (Series s : series) {
            g.setColor(s.color);
            g.setStroke(new BasicStroke(s.line ? 2.2f : 1f));
            int px = Integer.MIN_VALUE;
            int py = 0;
            for (int i = 0; i < s.x.length; i++) {
                double x = tx(s.x[i]);
                if (!usable(x) || !usable(s.y[i])) {
                    px = Integer.MIN_VALUE;    // a gap in a line
                    continue;
                }
                int cx = ax.pixel(x);
                int cy = ay.pixel(s.y[i]);
                if (s.line && px != Integer.MIN_VALUE) {
                    g.drawLine(px, py, cx, cy);
                }
                g.fillOval(cx - s.radius, cy - s.radius, 2 * s.radius, 2 * s.radius);
                if (s.labels != null) {
                    g.setColor(Color.DARK_GRAY);
                    int w = g.getFontMetrics().stringWidth(s.labels[i]);
                    // beside the point, on the side where the label stays inside the plot
                    int lx = cx + s.radius + 3 + w > LEFT + plotW ? cx - s.radius - 3 - w : cx + s.radius + 3;
                    g.drawString(s.labels[i], lx, cy - s.radius);
                    g.setColor(s.color);
                }
                px = cx;
                py = cy;
            }
            if (s.name != null) {
                g.fillRect(LEFT + plotW + 14, legendY - 8, 12, 8);
                g.setColor(Color.DARK_GRAY);
                g.drawString(s.name, LEFT + plotW + 32, legendY);
                legendY += 16;
            }
        }
        labels(g, LEFT + plotW + RIGHT, height, plotH);
        return encode(img);
    }

    private void labels(Graphics2D g, int width, int height, int plotH) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(xLabel, LEFT + (width - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, height - 10);
        AffineTransform saved = g.getTransform();
        g.translate(20, TOP + (plotH + fm.stringWidth(yLabel)) / 2);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, 0, 0);
        g.setTransform(saved);
    }

    /**
     * An annotated heatmap: one cell per row and column, coloured from white (the lowest finite value) to blue (the
     * highest), its value printed in it, a mark after the value where {@code marked} says so.
     */
    public static byte[] heatmap(String title, List<String> rows, List<String> columns, double[][] values, boolean[][] marked,
                          String mark) {
        int cell = 64;
        int labelW = 12 + 7 * Math.max(longestLabel(rows), 4);
        int labelH = 20 + 6 * Math.max(longestLabel(columns), 4);
        // the last column's label leans right, past the grid; the title must fit too
        int width = Math.max(labelW + cell * columns.size() + (int) (0.8 * 7 * longestLabel(columns)) + 20,
                24 + 8 * title.length());
        int height = TOP + labelH + cell * rows.size() / 2 + 30;
        int cellH = cell / 2;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int top = TOP + labelH;
        for (int c = 0; c < columns.size(); c++) {
            AffineTransform saved = g.getTransform();
            g.translate(labelW + c * cell + cell / 2 - 4, top - 6);
            g.rotate(-Math.toRadians(40));
            g.setColor(Color.DARK_GRAY);
            g.drawString(columns.get(c), 0, 0);
            g.setTransform(saved);
        }
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(rows.get(r), labelW - 8 - fm.stringWidth(rows.get(r)), top + r * cellH + cellH / 2 + 4);
            for (int c = 0; c < columns.size(); c++) {
                double v = values[r][c];
                double t = !Double.isFinite(v) ? -1 : hi > lo ? (v - lo) / (hi - lo) : 1;
                g.setColor(t < 0 ? new Color(245, 245, 245)
                        : new Color((int) (255 - 205 * t), (int) (255 - 155 * t), (int) (255 - 55 * t)));
                g.fillRect(labelW + c * cell, top + r * cellH, cell, cellH);
                g.setColor(t > 0.6 ? Color.WHITE : Color.BLACK);
                String s = (Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–")
                        + (marked != null && marked[r][c] ? mark : "");
                g.drawString(s, labelW + c * cell + (cell - fm.stringWidth(s)) / 2, top + r * cellH + cellH / 2 + 4);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(labelW, top, cell * columns.size(), cellH * rows.size());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 12, 28);
        return encode(img);
    }

    private static Graphics2D canvas(BufferedImage img) {
        System.setProperty("java.awt.headless", "true");
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static int longestLabel(List<String> labels) {
        return labels.stream().mapToInt(String::length).max().orElse(0);
    }

    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // writing to memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Round tick values, about five over the range. */
    static double[] ticks(double lo, double hi) {
        double step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5)));
        double span = (hi - lo) / step;
        if (span > 25) {
            step *= 5;
        } else if (span > 10) {
            step *= 2;
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A tick value with as many decimals as the ticks' step needs. */
    private static String tick(double t, double[] all) {
        double step = all.length > 1 ? all[1] - all[0] : 1;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", t);
    }

    /** Ticks of a log10 axis: the whole powers of ten when there are two or more, else round ticks of the exponent. */
    static double[] logTicks(double lo, double hi) {
        double[] whole = java.util.stream.IntStream.rangeClosed((int) Math.ceil(lo), (int) Math.floor(hi)).asDoubleStream().toArray();
        return whole.length >= 2 ? whole : ticks(lo, hi);
    }

    /** Maps values to pixels along one axis. */
    private record Axis(double lo, double hi, int start, int length, boolean flip) {
        int pixel(double v) {
            double t = (v - lo) / (hi - lo);
            return (int) Math.round(flip ? start + length - t * length : start + t * length);
        }
    }
}
