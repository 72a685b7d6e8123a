package dev.scep.formats.annotation;

/** The strand a transcript is read from. */
public enum Strand {
    PLUS('+'), MINUS('-');

    private final char symbol;

    Strand(char symbol) {
        this.symbol = symbol;
    }

    public char symbol() {
        return symbol;
    }

    /** The strand for a GTF/GFF column-7 value, or null when the value is not '+' or '-'. */
    static Strand parse(String s) {
        return switch (s) {
            case "+" -> PLUS;
            case "-" -> MINUS;
            default -> null;
        };
    }
}
