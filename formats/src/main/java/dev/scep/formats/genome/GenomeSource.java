package dev.scep.formats.genome;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A reference genome in FASTA form. Windows are cut contig by contig: {@link #visit} hands each wanted contig to
 * the visitor once. An indexed FASTA (a {@code .fai} beside it, plus a {@code .gzi} when bgzip-compressed) is read
 * by random access through htsjdk, touching only the windows asked for; any other FASTA (plain, gzip, bgzip without
 * index) is streamed once, holding one contig in memory at a time.
 */
public interface GenomeSource extends Closeable {
    Path file();

    /** Calls {@code visitor} for every contig of the FASTA whose name is in {@code wanted}, in file order. */
    void visit(Set<String> wanted, ContigVisitor visitor) throws IOException;

    /** The names of all contigs, in file order. May stream the whole file when there is no index. */
    java.util.List<String> contigNames() throws IOException;

    interface ContigVisitor {
        void contig(ContigSequence sequence) throws IOException;
    }

    /** The FASTA and the index files beside it that a reader may use: the files an output must never replace. */
    static java.util.List<Path> files(Path fasta) {
        return java.util.List.of(fasta, fasta.resolveSibling(fasta.getFileName() + ".fai"),
                fasta.resolveSibling(fasta.getFileName() + ".gzi"));
    }

    /** Whether {@link #open} will seek through an index (so several readers can share the work) rather than stream. */
    static boolean indexed(Path fasta) throws IOException {
        return Files.isRegularFile(fasta) && IndexedFasta.usable(fasta);
    }

    /** Opens {@code fasta}, indexed when a usable index exists beside it, streamed otherwise. */
    static GenomeSource open(Path fasta) throws IOException {
        if (!Files.isRegularFile(fasta)) {
            throw new java.nio.file.NoSuchFileException(fasta.toString(), null, "FASTA file not found");
        }
        if (IndexedFasta.usable(fasta)) {
            return new IndexedFasta(fasta);
        }
        return new StreamingFasta(fasta);
    }
}
