package dev.scep.runtime;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PNG of the strongest substitution effect per position (as the paper's Figure 4E/S15) for one or two outputs,
 * against the offset from the TSS, and below it the paper's zoomed view for the first output: the ±100 nt around
 * the TSS and around the strongest position as sequence logos, each reference base drawn with a height equal to its
 * importance, minus the mean change of its three substitutions (up when the reference base raises expression, down
 * when it lowers it), as the scEP tutorial and Selene draw them. Drawn with java.awt in headless mode, so it needs no
 * display.
 */
public final class IsmPlot {
    private static final Color[] COLORS = {new Color(40, 90, 180), new Color(200, 60, 40)};

    private static final int ZOOM = 100;
    private static final int ZOOM_HEIGHT = 320;
    private static final Color[] BASE_COLORS = {new Color(30, 150, 60), new Color(40, 90, 200), new Color(240, 160, 20),
            new Color(210, 40, 40)};

    private IsmPlot() {
    }

    /** Per position, minus the mean change of its substitutions: what the reference base contributes. */
    static float[] importance(IsmResult r, int output) {
        int n = r.reference().length;
        float[] sum = new float[n];
        int[] count = new int[n];
        int[] position = r.position();
        for (int e = 0; e < position.length; e++) {
            sum[position[e]] += r.delta(e, output);
            count[position[e]]++;
        }
        float[] out = new float[n];
        for (int p = 0; p < n; p++) {
            out[p] = count[p] == 0 ? 0 : -sum[p] / count[p];
        }
        return out;
    }

    /** A sequence-logo panel of the reference bases around {@code centre}, letters scaled by importance. */
    private static void logo(Graphics2D g, IsmResult r, float[] importance, int centre, int x0, int y0, int w, int h,
                             String title) {
        int n = r.reference().length;
        int from = Math.max(0, centre - ZOOM);
        int to = Math.min(n - 1, centre + ZOOM);
        float max = 1e-9f;
        for (int p = from; p <= to; p++) {
            max = Math.max(max, Math.abs(importance[p]));
        }
        int zeroY = y0 + h / 2;
        double slot = (double) w / (to - from + 1);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, x0, y0 - 10);
        g.setColor(new Color(200, 200, 200));
        g.drawLine(x0, zeroY, x0 + w, zeroY);
        g.drawRect(x0, y0, w, h);
        Font letters = new Font(Font.MONOSPACED, Font.BOLD, 100);
        java.awt.font.FontRenderContext frc = g.getFontRenderContext();
        for (int p = from; p <= to; p++) {
            char base = Character.toUpperCase((char) r.reference()[p]);
            int colour = "ACGT".indexOf(base);
            double height = Math.abs(importance[p]) / max * (h / 2.0 - 2);
            if (colour < 0 || height < 0.5) {
                continue;
            }
            java.awt.Shape glyph = letters.createGlyphVector(frc, String.valueOf(base)).getOutline();
            java.awt.geom.Rectangle2D b = glyph.getBounds2D();
            java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
            double x = x0 + (p - from) * slot;
            boolean up = importance[p] > 0;
            t.translate(x, up ? zeroY - height : zeroY);
            t.scale(slot / b.getWidth(), height / b.getHeight());
            if (!up) {   // below the line, letters hang upside down, as logos draw negative scores
                t.translate(0, b.getHeight());
                t.scale(1, -1);
            }
            t.translate(-b.getX(), -b.getY());
            g.setColor(BASE_COLORS[colour]);
            g.fill(t.createTransformedShape(glyph));
        }
        g.setColor(Color.DARK_GRAY);
        for (int p = from; p <= to; p++) {
            int offset = p - r.upstream();
            if (offset % 50 == 0) {
                int x = x0 + (int) ((p - from + 0.5) * slot);
                g.drawLine(x, y0 + h, x, y0 + h + 4);
                g.drawString(offset == 0 ? "TSS" : Integer.toString(offset), x - 10, y0 + h + 18);
            }
        }
        g.drawString(String.format("+%.2g", max), x0 + 3, y0 + 12);
        g.drawString(String.format("-%.2g", max), x0 + 3, y0 + h - 3);
    }

    /**
     * Writes the plot.
     *
     * @param r       the window's ISM result
     * @param outputs one or two output indices to draw
     * @param title   the plot's title
     * @param file    the PNG to write, atomically
     * @param inputs  files the output must not replace
     * @throws IOException when the file cannot be written
     */
    public static void write(IsmResult r, int[] outputs, String title, Path file, Path... inputs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 1400;
        int height = 420 + ZOOM_HEIGHT;
        int left = 70;
        int right = 20;
        int top = 40;
        int bottom = 50;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        float[][] series = new float[outputs.length][];
        float max = 1e-6f;
        for (int k = 0; k < outputs.length; k++) {
            series[k] = r.strongestPerPosition(outputs[k]);
            for (float v : series[k]) {
                max = Math.max(max, Math.abs(v));
            }
        }
        int n = r.reference().length;
        int plotW = width - left - right;
        int plotH = height - ZOOM_HEIGHT - top - bottom;
        int zeroY = top + plotH / 2;
        g.setColor(new Color(220, 220, 220));
        g.drawLine(left, zeroY, width - right, zeroY);
        int tssX = left + (int) ((long) r.upstream() * plotW / n);
        g.drawLine(tssX, top, tssX, top + plotH);
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, left, 24);
        g.drawString(String.format("+%.3g", max), 5, top + 10);
        g.drawString(String.format("-%.3g", max), 5, top + plotH);
        g.drawString("0", 40, zeroY + 4);
        for (int offset = -r.upstream(); offset <= n - r.upstream(); offset += 1000) {
            int x = left + (int) ((long) (offset + r.upstream()) * plotW / n);
            g.drawLine(x, top + plotH, x, top + plotH + 5);
            g.drawString(offset == 0 ? "TSS" : Integer.toString(offset), x - 14, top + plotH + 20);
        }
        g.drawString("offset from the TSS (nt); strongest change in log10 expression per position", left, height - ZOOM_HEIGHT - 8);
        g.setStroke(new BasicStroke(1f));
        for (int k = 0; k < outputs.length; k++) {
            g.setColor(COLORS[k % COLORS.length]);
            for (int p = 0; p < n; p++) {
                int x = left + (int) ((long) p * plotW / n);
                int y = zeroY - Math.round(series[k][p] / max * (plotH / 2f));
                g.drawLine(x, zeroY, x, y);
            }
            g.drawString(r.outputs().get(outputs[k]), width - right - 260, top + 18 + 16 * k);
        }
        float[] importance = importance(r, outputs[0]);
        int strongest = 0;
        for (int p = 0; p < n; p++) {
            if (Math.abs(series[0][p]) > Math.abs(series[0][strongest])) {
                strongest = p;
            }
        }
        int panelW = (width - left - right - 40) / 2;
        int panelTop = height - ZOOM_HEIGHT + 30;
        logo(g, r, importance, r.upstream(), left, panelTop, panelW, ZOOM_HEIGHT - 80,
                "TSS ±" + ZOOM + " nt: importance of each reference base (" + r.outputs().get(outputs[0]) + ")");
        logo(g, r, importance, strongest, left + panelW + 40, panelTop, panelW, ZOOM_HEIGHT - 80,
                "strongest position (offset " + (strongest - r.upstream()) + ") ±" + ZOOM + " nt");
        g.dispose();
        try (dev.scep.formats.io.OutputFile out = dev.scep.formats.io.OutputFile.create(file, inputs)) {
            ImageIO.write(img, "png", out.stream());
            out.commit();
        }
    }
}
