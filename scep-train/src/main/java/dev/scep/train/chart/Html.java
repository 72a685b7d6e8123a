package dev.scep.train.chart;

/** Text made safe for scep's HTML pages (the CV report and the analyses' pages), in element content and attributes. */
public final class Html {
    private Html() {
    }

    /**
     * Escapes {@code &}, {@code <}, {@code >} and {@code "}.
     *
     * @param s the text
     * @return the escaped text
     */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
