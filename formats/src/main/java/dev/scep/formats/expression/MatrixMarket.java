package dev.scep.formats.expression;

import dev.scep.formats.Memory;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A Matrix Market coordinate file (plain or gzip), genes in rows and cells in columns (10x and Bioconductor
 * layout); a file with cells in rows is recognised from its dimensions and read transposed.
 */
final class MatrixMarket implements ExpressionMatrix {
    /** Genes or cells: far above any atlas, and what an int index holds. */
    static final int MAX_DIMENSION = Integer.MAX_VALUE - 8;

    private final Path file;
    private final IdList genes;
    private final IdList cells;
    private final boolean cellsInRows;

    private MatrixMarket(Path file, IdList genes, IdList cells, boolean cellsInRows) {
        this.file = file;
        this.genes = genes;
        this.cells = cells;
        this.cellsInRows = cellsInRows;
    }

    static MatrixMarket openTenX(Path dir) throws IOException {
        Path matrix = IdList.find(dir, "matrix.mtx.gz", "matrix.mtx");
        if (matrix == null) {
            throw new InputFormatException(dir, 0, "not a 10x matrix directory: no matrix.mtx or matrix.mtx.gz in it");
        }
        return open(matrix, null, null);
    }

    static MatrixMarket open(Path matrix, Path geneFile, Path cellFile) throws IOException {
        long[] dims = dimensions(matrix);
        Path dir = matrix.toAbsolutePath().getParent();
        String stem = matrix.getFileName().toString().replaceFirst("\\.mtx(\\.gz)?$", "");
        if (geneFile == null) {
            geneFile = IdList.find(dir, "features.tsv.gz", "features.tsv", "genes.tsv.gz", "genes.tsv",
                    stem + ".genes.tsv", stem + ".genes.tsv.gz", stem + "_genes.tsv", stem + "_genes.tsv.gz");
        }
        if (cellFile == null) {
            cellFile = IdList.find(dir, "barcodes.tsv.gz", "barcodes.tsv", stem + ".barcodes.tsv", stem + ".barcodes.tsv.gz");
        }
        if (geneFile == null) {
            throw new InputFormatException(matrix, 0, "no gene list found beside the matrix (features.tsv[.gz] or genes.tsv[.gz]);"
                    + " give one with --genes");
        }
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        // genes are rows unless the gene list only fits the columns
        boolean cellsInRows = lineCountFits(geneFile, cols) && !lineCountFits(geneFile, rows);
        IdList genes = IdList.read(geneFile, cellsInRows ? cols : rows, "genes", matrix, false);
        IdList cells = cellFile == null ? null : IdList.read(cellFile, cellsInRows ? rows : cols, "cells", matrix, true);
        if (cells == null) {
            List<String> numbered = java.util.Collections.nCopies(cellsInRows ? rows : cols, null);
            cells = new IdList(null, numbered, numbered);
        }
        return new MatrixMarket(matrix, genes, cells, cellsInRows);
    }

    private static boolean lineCountFits(Path list, int n) throws IOException {
        long lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(list), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    lines++;
                }
            }
        }
        return lines == n || lines == n + 1;
    }

    private static long[] dimensions(Path file) throws IOException {
        try (BufferedReader r = reader(file)) {
            Header h = header(r, file);
            return new long[]{h.rows, h.cols, h.entries};
        }
    }

    private record Header(long rows, long cols, long entries, long line) {
    }

    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.US_ASCII), 1 << 16);
    }

    private static Header header(BufferedReader r, Path file) throws IOException {
        String banner = r.readLine();
        if (banner == null || !banner.toLowerCase(Locale.ROOT).startsWith("%%matrixmarket")) {
            throw new InputFormatException(file, 1, "not a Matrix Market file: the first line must start with %%MatrixMarket");
        }
        String[] b = banner.toLowerCase(Locale.ROOT).split("\\s+");
        if (b.length < 5 || !b[1].equals("matrix") || !b[2].equals("coordinate")
                || !(b[3].equals("real") || b[3].equals("integer")) || !b[4].equals("general")) {
            throw new InputFormatException(file, 1, "unsupported Matrix Market type '" + banner.substring(14).strip()
                    + "'; scep reads 'matrix coordinate real|integer general'");
        }
        long line = 1;
        String s;
        while ((s = r.readLine()) != null) {
            line++;
            if (!s.startsWith("%") && !s.isBlank()) {
                String[] f = s.strip().split("\\s+");
                if (f.length != 3) {
                    throw new InputFormatException(file, line, "expected the size line 'rows columns entries'");
                }
                long rows;
                long cols;
                long entries;
                try {
                    rows = Long.parseLong(f[0]);
                    cols = Long.parseLong(f[1]);
                    entries = Long.parseLong(f[2]);
                } catch (NumberFormatException e) {
                    throw new InputFormatException(file, line, "size line is not three whole numbers: '" + s.strip() + "'");
                }
                if (rows < 0 || cols < 0 || entries < 0 || rows > MAX_DIMENSION || cols > MAX_DIMENSION
                        || entries > Memory.times(rows, cols)) {
                    throw new InputFormatException(file, line, "size line '" + s.strip() + "' is not a matrix scep can read:"
                            + " rows and columns must be between 0 and " + MAX_DIMENSION + " and the entries at most rows x columns");
                }
                return new Header(rows, cols, entries, line);
            }
        }
        throw new InputFormatException(file, line, "no size line: the file is empty or truncated");
    }

    @Override
    public Path source() {
        return file;
    }

    @Override
    public List<String> geneIds() {
        return genes.ids();
    }

    @Override
    public List<String> geneNames() {
        return genes.names();
    }

    @Override
    public List<String> cellIds() {
        return cells.ids();
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) throws IOException {
        try (BufferedReader r = reader(file)) {
            Header h = header(r, file);
            long line = h.line;
            long seen = 0;
            String s;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isEmpty() || s.charAt(0) == '%') {
                    continue;
                }
                int a = s.indexOf(' ');
                int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
                if (b < 0) {
                    throw new InputFormatException(file, line, "expected 'row column value', found '" + abbreviate(s) + "'");
                }
                long row;
                long col;
                double v;
                try {
                    row = Long.parseLong(s, 0, a, 10);
                    col = Long.parseLong(s, a + 1, b, 10);
                    v = Double.parseDouble(s.substring(b + 1));
                } catch (NumberFormatException e) {
                    throw new InputFormatException(file, line, "expected 'row column value', found '" + abbreviate(s) + "'");
                }
                if (row < 1 || row > h.rows || col < 1 || col > h.cols) {
                    throw new InputFormatException(file, line, "entry (" + row + ", " + col + ") lies outside the declared "
                            + h.rows + " × " + h.cols + " matrix");
                }
                EntryChecks.value(v, file, line, "entry (" + row + ", " + col + ")");
                seen++;
                if (cellsInRows) {
                    visitor.entry((int) col - 1, (int) row - 1, v);
                } else {
                    visitor.entry((int) row - 1, (int) col - 1, v);
                }
            }
            if (seen != h.entries) {
                throw new InputFormatException(file, line, "holds " + seen + " entries but its size line declares " + h.entries
                        + ": the file is truncated or corrupted");
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new InputFormatException(file, 0, "the compressed file is truncated or corrupted (" + e.getMessage() + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
