package dev.scep.formats.genome;

import dev.scep.formats.text.InputFormatException;
import htsjdk.samtools.reference.FastaSequenceIndex;
import htsjdk.samtools.reference.FastaSequenceIndexEntry;
import htsjdk.samtools.reference.ReferenceSequenceFile;
import htsjdk.samtools.reference.BlockCompressedIndexedFastaSequenceFile;
import htsjdk.samtools.reference.IndexedFastaSequenceFile;
import htsjdk.samtools.reference.ReferenceSequenceFileFactory;
import htsjdk.samtools.util.GZIIndex;
import htsjdk.samtools.util.IOUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A FASTA with a samtools {@code .fai} index (and {@code .gzi} when bgzip-compressed), read by random access. */
final class IndexedFasta implements GenomeSource {
    private final Path file;
    private final FastaSequenceIndex index;
    private final ReferenceSequenceFile reference;

    IndexedFasta(Path file) throws IOException {
        this.file = file;
        Path fai = faiOf(file);
        try {
            this.index = new FastaSequenceIndex(fai);
        } catch (RuntimeException e) {
            throw new InputFormatException(fai, 0, "cannot use the FASTA index: " + e.getMessage());
        }
        Path gzi = file.resolveSibling(file.getFileName() + ".gzi");
        boolean bgzip = IOUtil.isBlockCompressed(file, true);
        if (bgzip) {
            checkGziSize(gzi);
        }
        try {
            // constructed directly, not through the factory, so any file name works (the factory wants .fa/.fa.gz...)
            this.reference = bgzip ? new BlockCompressedIndexedFastaSequenceFile(file, index, GZIIndex.loadIndex(gzi))
                    : new IndexedFastaSequenceFile(file, index);
        } catch (IOException | RuntimeException e) {
            // htsjdk reports a damaged .gzi as a plain IOException
            throw new InputFormatException(bgzip ? gzi : fai, 0, "cannot use the FASTA index: " + e.getMessage());
        }
        if (!bgzip) {   // bgzip offsets are virtual: only a plain file's offsets can be checked against its size
            checkAgainstFile(file, fai, index);
        }
    }

    /**
     * A {@code .gzi} is a little-endian entry count, then 16 bytes per entry: the count must match the file's size
     * before htsjdk allocates an array of that many entries (a damaged count would exhaust the heap).
     */
    private static void checkGziSize(Path gzi) throws IOException {
        long size = Files.size(gzi);
        long entries = -1;
        if (size >= 8) {
            try (var in = Files.newInputStream(gzi)) {
                byte[] b = in.readNBytes(8);
                entries = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            }
        }
        if (entries < 0 || entries > (size - 8) / 16 || 8 + 16 * entries != size) {
            throw new InputFormatException(gzi, 0, "the bgzip index is damaged: it is " + size + " bytes, which does not"
                    + " fit its declared " + (entries < 0 ? "(unreadable)" : Long.toUnsignedString(entries))
                    + " entries of 16 bytes; rebuild it with samtools faidx (or bgzip -r)");
        }
    }

    /**
     * A cheap check that the index describes this uncompressed file: every contig's last base must lie inside the
     * file. A stale index read as if current would cut windows from the wrong bytes; the bases themselves are checked
     * again when windows are cut.
     */
    private static void checkAgainstFile(Path fasta, Path fai, FastaSequenceIndex index) throws IOException {
        long size = Files.size(fasta);
        for (FastaSequenceIndexEntry e : index) {
            long basesPerLine = e.getBasesPerLine();
            long bytesPerLine = e.getBytesPerLine();
            if (e.getSize() < 0 || e.getLocation() < 0 || basesPerLine < 1 || bytesPerLine < basesPerLine) {
                throw new InputFormatException(fai, 0, "entry " + e.getContig() + " is malformed (length " + e.getSize()
                        + ", offset " + e.getLocation() + ", " + basesPerLine + " bases in lines of " + bytesPerLine
                        + " bytes); rebuild it with samtools faidx");
            }
            long last = e.getSize() == 0 ? e.getLocation()
                    : e.getLocation() + (e.getSize() - 1) / basesPerLine * bytesPerLine + (e.getSize() - 1) % basesPerLine;
            if (last >= size && e.getSize() > 0) {
                throw new InputFormatException(fai, 0, "says contig " + e.getContig() + " ends at byte " + last + " of "
                        + fasta + ", which has " + size + " bytes: the FASTA is truncated, or the index does not belong to it"
                        + " (rebuild it with samtools faidx)");
            }
        }
    }

    static Path faiOf(Path fasta) {
        return fasta.resolveSibling(fasta.getFileName() + ".fai");
    }

    /**
     * An index is usable when the .fai exists and, for a bgzip file, the .gzi too (plain gzip cannot be indexed),
     * and the name has a FASTA extension (.fa, .fasta, .fna, ... optionally .gz), which htsjdk insists on.
     */
    static boolean usable(Path fasta) throws IOException {
        String name = fasta.getFileName().toString();
        if (!Files.isRegularFile(faiOf(fasta))
                || ReferenceSequenceFileFactory.FASTA_EXTENSIONS.stream().noneMatch(name::endsWith)) {
            return false;
        }
        boolean compressed = IOUtil.isBlockCompressed(fasta, true) || isGzip(fasta);
        return !compressed || (IOUtil.isBlockCompressed(fasta, true)
                && Files.isRegularFile(fasta.resolveSibling(fasta.getFileName() + ".gzi")));
    }

    private static boolean isGzip(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<String> contigNames() {
        List<String> names = new ArrayList<>();
        for (FastaSequenceIndexEntry e : index) {
            names.add(e.getContig());
        }
        return names;
    }

    @Override
    public void visit(Set<String> wanted, ContigVisitor visitor) throws IOException {
        for (FastaSequenceIndexEntry e : index) {
            if (!wanted.contains(e.getContig())) {
                continue;
            }
            visitor.contig(new IndexedContig(e.getContig(), e.getSize()));
        }
    }

    /** A contig read through the index, window by window. */
    private final class IndexedContig implements ContigSequence {
        private final String name;
        private final long length;

        IndexedContig(String name, long length) {
            this.name = name;
            this.length = length;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void copy(long start, byte[] dst, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            byte[] bases;
            try {
                bases = reference.getSubsequenceAt(name, start + 1, start + len).getBases();
            } catch (RuntimeException ex) {
                throw new InputFormatException(file, 0, "cannot read " + name + ":" + (start + 1) + "-" + (start + len)
                        + " through the index (" + ex.getMessage() + "); the FASTA may be truncated or its .fai stale");
            }
            if (bases.length != len) {
                throw new InputFormatException(file, 0, "reading " + name + ":" + (start + 1) + "-" + (start + len)
                        + " returned " + bases.length + " bases instead of " + len
                        + ": the FASTA is truncated or its .fai does not belong to it");
            }
            for (byte b : bases) {
                if (b == 0) { // htsjdk pads a read past the end of the file with zero bytes
                    throw new InputFormatException(file, 0, "reading " + name + ":" + (start + 1) + "-" + (start + len)
                            + " ran past the end of the file: the FASTA is truncated or its .fai does not belong to it");
                }
            }
            System.arraycopy(bases, 0, dst, off, len);
        }
    }

    @Override
    public void close() throws IOException {
        reference.close();
    }
}
