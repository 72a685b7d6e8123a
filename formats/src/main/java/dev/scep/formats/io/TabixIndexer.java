package dev.scep.formats.io;

import htsjdk.tribble.AsciiFeatureCodec;
import htsjdk.tribble.Feature;
import htsjdk.tribble.SimpleFeature;
import htsjdk.tribble.index.IndexFactory;
import htsjdk.tribble.index.tabix.TabixFormat;
import htsjdk.tribble.readers.LineIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A tabix index ({@code .tbi}) for a bgzip table sorted by position, as {@code tabix -s S -b B -e E -S N} makes it,
 * so {@code tabix}, htsjdk and genome browsers fetch a region without reading the whole file. Stateless.
 */
public final class TabixIndexer {
    /**
     * Where the positions are.
     *
     * @param sequence    1-based column of the contig
     * @param start       1-based column of the start
     * @param end         1-based column of the end (may equal {@code start})
     * @param zeroBased   whether positions are 0-based half-open (BED, bedGraph) rather than 1-based
     * @param headerLines lines at the top that are not records
     */
    public record Columns(int sequence, int start, int end, boolean zeroBased, int headerLines) {
    }

    /** A bedGraph: contig, 0-based start, end, value; no header (a track line, if any, is not indexed). */
    public static final Columns BEDGRAPH = new Columns(1, 2, 3, true, 0);

    /** scep score-variants' table: contig in column 2, 1-based position in column 3, one header line. */
    public static final Columns SCORES = new Columns(2, 3, 3, false, 1);

    private TabixIndexer() {
    }

    /**
     * Writes {@code table.tbi} beside a bgzip table, atomically.
     *
     * @param table   a BGZF table, sorted by contig block and position
     * @param given   where its positions are (its header lines not counting the provenance lines before them)
     * @return the index file
     * @throws IOException when the table cannot be read (unsorted records, a position that is not a number) or the
     *                     index written
     */
    public static Path index(Path table, Columns given) throws IOException {
        // provenance lines (# ...) come before the header: tabix skips them all, then the header
        int comments = 0;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new htsjdk.samtools.util.BlockCompressedInputStream(table.toFile()), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null && line.startsWith("#"); ) {
                comments++;
            }
        }
        Columns columns = new Columns(given.sequence(), given.start(), given.end(), given.zeroBased(),
                given.headerLines() + comments);
        TabixFormat format = new TabixFormat(TabixFormat.GENERIC_FLAGS | (columns.zeroBased() ? TabixFormat.ZERO_BASED : 0),
                columns.sequence(), columns.start(), columns.end(), '#', columns.headerLines());
        Path tbi = table.resolveSibling(table.getFileName() + ".tbi");
        Path tmp = TemporaryFiles.beside(tbi, ".tmp");
        try {
            IndexFactory.createTabixIndex(table, new Codec(columns), format, null).write(tmp);
            Files.move(tmp, tbi, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (RuntimeException e) {
            throw new dev.scep.formats.text.InputFormatException(table, 0, "cannot index it with tabix: " + e.getMessage());
        } finally {
            TemporaryFiles.delete(tmp);
        }
        return tbi;
    }

    /** Reads the positions of one table layout. */
    private static final class Codec extends AsciiFeatureCodec<Feature> {
        private final Columns c;

        Codec(Columns c) {
            super(Feature.class);
            this.c = c;
        }

        @Override
        public Feature decode(String line) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("track ") || line.startsWith("browser ")) {
                return null;
            }
            String[] f = line.split("\t", -1);
            long start = Long.parseLong(f[c.start() - 1]);
            long end = Long.parseLong(f[c.end() - 1]);
            return new SimpleFeature(f[c.sequence() - 1], (int) (c.zeroBased() ? start + 1 : start), (int) end);
        }

        @Override
        public Object readActualHeader(LineIterator lines) {
            for (int i = 0; i < c.headerLines() && lines.hasNext(); i++) {
                lines.next();
            }
            return null;
        }

        @Override
        public boolean canDecode(String path) {
            return true;
        }
    }
}
