package dev.scep.formats.genome;

import dev.scep.formats.text.InputFormatException;

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
 *
 * <p>A source is not thread-safe: give each thread its own (an indexed FASTA may be opened several times; see
 * {@link #indexed}). Close it when done, which releases the file.
 */
public interface GenomeSource extends Closeable {
    /**
     * The FASTA being read, for messages.
     *
     * @return the FASTA file as it was opened
     */
    Path file();

    /**
     * Calls {@code visitor} for every contig of the FASTA whose name is in {@code wanted}, in file order, on the
     * calling thread. A streamed FASTA is read to its end (every record is checked); an indexed one reads only what
     * the visitor asks for.
     *
     * @param wanted  the contig names to visit, as the FASTA spells them; others are skipped
     * @param visitor receives each wanted contig
     * @throws InputFormatException naming the FASTA and line when it is malformed (no header, a header without a name,
     *                              a contig named twice, a damaged compressed file)
     * @throws IOException          when the file cannot be read, or as thrown by the visitor
     */
    void visit(Set<String> wanted, ContigVisitor visitor) throws IOException;

    /**
     * The names of all contigs. Without an index this streams the whole file (once; the names are then kept).
     *
     * @return the contig names, in file order
     * @throws InputFormatException naming the FASTA and line when it is malformed
     * @throws IOException          when the file cannot be read
     */
    java.util.List<String> contigNames() throws IOException;

    /** Receives the contigs of {@link #visit}. */
    interface ContigVisitor {
        /**
         * One wanted contig.
         *
         * @param sequence the contig; it can be read until the source is closed
         * @throws IOException to stop the visit; it propagates out of {@link #visit}
         */
        void contig(ContigSequence sequence) throws IOException;
    }

    /**
     * The FASTA and the index files beside it that a reader may use: the files an output must never replace.
     *
     * @param fasta the FASTA file
     * @return {@code fasta}, its {@code .fai} and its {@code .gzi}, whether or not the index files exist
     */
    static java.util.List<Path> files(Path fasta) {
        return java.util.List.of(fasta, fasta.resolveSibling(fasta.getFileName() + ".fai"),
                fasta.resolveSibling(fasta.getFileName() + ".gzi"));
    }

    /**
     * Whether {@link #open} will seek through an index (so several readers can share the work) rather than stream.
     *
     * @param fasta the FASTA file
     * @return true when {@code fasta} is a regular file with a FASTA extension ({@code .fa}, {@code .fasta},
     *         {@code .fna}..., optionally {@code .gz}) and a {@code .fai} beside it; a compressed one must be bgzip
     *         with a {@code .gzi} beside it too
     * @throws IOException when the file's first bytes cannot be read
     */
    static boolean indexed(Path fasta) throws IOException {
        return Files.isRegularFile(fasta) && IndexedFasta.usable(fasta);
    }

    /**
     * Opens {@code fasta}, indexed when a usable index exists beside it ({@link #indexed}), streamed otherwise.
     *
     * @param fasta a FASTA file: plain, gzip or bgzip
     * @return the source; the caller closes it
     * @throws java.nio.file.NoSuchFileException when {@code fasta} is not a regular file
     * @throws InputFormatException naming the {@code .fai} or {@code .gzi} when the index is damaged or does not fit
     *                              the FASTA
     * @throws IOException          when a file cannot be read
     */
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
