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
 * against the offset from the TSS. Drawn with java.awt in headless mode, so it needs no display.
 */
public final class IsmPlot {
    private static final Color[] COLORS = {new Color(40, 90, 180), new Color(200, 60, 40)};

    private IsmPlot() {
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
        int height = 420;
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
        int plotH = height - top - bottom;
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
        g.drawString("offset from the TSS (nt); strongest change in log10 expression per position", left, height - 8);
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
        g.dispose();
        try (dev.scep.formats.io.OutputFile out = dev.scep.formats.io.OutputFile.create(file, inputs)) {
            ImageIO.write(img, "png", out.stream());
            out.commit();
        }
    }
}
