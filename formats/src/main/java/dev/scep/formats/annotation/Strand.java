package dev.scep.formats.annotation;

/** The strand a transcript is read from. */
public enum Strand {
    /** The plus (forward) strand: transcription runs towards higher genome coordinates. */
    PLUS('+'),
    /** The minus (reverse) strand: transcription runs towards lower genome coordinates. */
    MINUS('-');

    private final char symbol;

    Strand(char symbol) {
        this.symbol = symbol;
    }

    /**
     * The strand as GTF, GFF3, BED and scep's window headers write it.
     *
     * @return {@code '+'} or {@code '-'}
     */
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
