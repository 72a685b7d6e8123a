package dev.scep.formats.expression;

import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.text.InputFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AnnData {@code .h5ad} reading (jhdf underneath) on arbitrary bytes: genes, cells, every {@code obs} column and
 * every entry of {@code X} (dense, CSR or CSC) come out consistent, or the reader fails with
 * {@link InputFormatException}. Seeds: the small AnnData files of the reader tests and of the bad-inputs corpus
 * (anndata ≥ 0.8 and ≤ 0.7 layouts).
 */
class H5adFuzzTest {
    private static final Path FILE = FuzzInput.scratch("h5ad").resolve("x.h5ad");

    @ReaderFuzzTest
    void read(byte[] data) throws IOException {
        Files.write(FILE, data);
        try {
            ExpressionMatrix m = ExpressionMatrix.open(FILE, null, null);
            int g = m.geneIds().size();
            int c = m.cellIds().size();
            CellTable obs = m.embeddedCells();
            for (String column : obs.columnNames()) {
                if (obs.column(column).size() != c) {
                    throw new AssertionError("obs column " + column + " has " + obs.column(column).size() + " values for " + c + " cells");
                }
            }
            m.forEachEntry((gene, cell, value) -> {
                if (gene < 0 || gene >= g || cell < 0 || cell >= c || !(value >= 0) || Double.isInfinite(value)) {
                    throw new AssertionError("entry (" + gene + ", " + cell + ") = " + value + " of a " + g + " x " + c + " matrix");
                }
            });
        } catch (InputFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a file that is not a readable AnnData file
        }
    }
}
