package dev.scep.formats.text;

/**
 * The one rule for names and labels (gene ids, sample and population names, output names...) that scep carries from
 * its inputs into the tables it writes: no tab, line break or other control character, since any of them would
 * shift or split a TSV row. Readers apply it on the way in and report the file, line and field; writers apply it
 * again to every text cell, so a bad value can never break a table. Stateless and thread-safe.
 */
public final class TsvField {
    private TsvField() {
    }

    /**
     * Finds the first character that cannot stand in a TSV cell: a control character (below U+0020, or U+007F).
     *
     * @param value the text
     * @return the 0-based index of that character in {@code value}, or -1 when there is none
     */
    public static int firstBadChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /** The character at {@code i} as the user would name it: "a tab", "a line break", "control character U+0001". */
    static String describe(String value, int i) {
        return switch (value.charAt(i)) {
            case '\t' -> "a tab";
            case '\n', '\r' -> "a line break";
            default -> String.format("the control character U+%04X", (int) value.charAt(i));
        };
    }

    /**
     * The value with control characters shown as escapes, for messages.
     *
     * @param value the text
     * @return it with tab, line feed and carriage return as {@code \t}, {@code \n}, {@code \r} and other control
     *         characters as <code>&#92;uXXXX</code>
     */
    public static String printable(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * What is wrong with {@code value} as a TSV cell, as a sentence naming it and the character
     * ({@code "gene id 'a\tb' contains a tab, which would break the tables scep writes"}); null when it is fine or null.
     * Readers wrap it in their own exception, naming the file and line.
     *
     * @param what  what the value is, for the message ("gene name", "population")
     * @param value the value, or null
     * @return the sentence, or null
     */
    public static String problem(String what, String value) {
        int bad = value == null ? -1 : firstBadChar(value);
        return bad < 0 ? null : what + " '" + printable(value) + "' contains " + describe(value, bad)
                + ", which would break the tables scep writes";
    }

    /**
     * Returns {@code value} when it can stand in a TSV cell.
     *
     * @param what  what the value is, for the message ("gene name", "population")
     * @param value the value, or null (which passes)
     * @return {@code value}
     * @throws IllegalArgumentException naming the value and the character
     */
    public static String check(String what, String value) {
        String problem = problem(what, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }
}
