package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;

import java.nio.file.Path;

/** The value rules every expression reader applies. */
final class EntryChecks {
    private EntryChecks() {
    }

    static void value(double v, Path file, long line, String where) throws InputFormatException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new InputFormatException(file, line, where + ": expression value is " + v + "; expected a finite number");
        }
        if (v < 0) {
            throw new InputFormatException(file, line, where + ": expression value " + v
                    + " is negative; pseudobulk needs counts or non-negative normalised values (not log-scaled or centred data)");
        }
    }
}
