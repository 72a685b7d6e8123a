package dev.scep.formats.genome;

import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.InputFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A FASTA without an index, read front to back; contigs nobody wants are skipped after parsing. */
final class StreamingFasta implements GenomeSource {
    private final Path file;
    private List<String> names;

    StreamingFasta(Path file) {
        this.file = file;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public void visit(Set<String> wanted, ContigVisitor visitor) throws IOException {
        List<String> seen = new ArrayList<>();
        Map<String, Long> lines = new HashMap<>();
        try (FastaReader r = new FastaReader(file)) {
            FastaReader.Record rec;
            while ((rec = r.next()) != null) {
                Long previous = lines.putIfAbsent(rec.id(), rec.line());
                if (previous != null) {
                    throw new InputFormatException(file, rec.line(), "contig " + rec.id() + " appears twice (first at line "
                            + previous + ")");
                }
                seen.add(rec.id());
                if (wanted.contains(rec.id())) {
                    visitor.contig(ContigSequence.of(rec.id(), rec.sequence()));
                }
            }
        }
        names = List.copyOf(seen);
    }

    @Override
    public List<String> contigNames() throws IOException {
        if (names == null) {
            visit(Set.of(), s -> {
            });
        }
        return names;
    }

    @Override
    public void close() {
    }
}
