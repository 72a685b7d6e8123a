package dev.scep.formats.expression;

import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.text.InputFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Matrix Market reading (with its gene and barcode lists) on arbitrary bytes: every entry handed out lies inside the
 * matrix and is finite and non-negative, or the reader fails with {@link InputFormatException}. Input:
 * {@code [mode][genes][barcodes] matrix} ({@link FuzzInput}; mode 1 leaves the barcodes out, mode 2 gzips the matrix).
 * Seeds: corners of the shared HSMM single-cell matrix with their gene and cell lists.
 */
class MatrixMarketFuzzTest {
    private static final Path DIR = FuzzInput.scratch("mtx");

    @ReaderFuzzTest
    void read(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(3);
        byte[] genes = in.part();
        byte[] barcodes = in.part();
        byte[] matrix = in.rest();
        Path mtx = DIR.resolve(mode == 2 ? "matrix.mtx.gz" : "matrix.mtx");
        Files.deleteIfExists(DIR.resolve("matrix.mtx"));
        Files.deleteIfExists(DIR.resolve("matrix.mtx.gz"));
        if (mode == 2) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(mtx))) {
                out.write(matrix);
            }
        } else {
            Files.write(mtx, matrix);
        }
        Path geneList = Files.write(DIR.resolve("genes.tsv"), genes);
        Path cellList = Files.write(DIR.resolve("barcodes.tsv"), barcodes);
        try {
            ExpressionMatrix m = ExpressionMatrix.open(mtx, geneList, mode == 1 ? null : cellList);
            int g = m.geneIds().size();
            int c = m.cellIds().size();
            m.forEachEntry((gene, cell, value) -> {
                if (gene < 0 || gene >= g || cell < 0 || cell >= c || !(value >= 0) || Double.isInfinite(value)) {
                    throw new AssertionError("entry (" + gene + ", " + cell + ") = " + value + " of a " + g + " x " + c + " matrix");
                }
            });
        } catch (InputFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a matrix that cannot be read right
        }
    }
}
