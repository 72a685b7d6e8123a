package dev.scep.runtime.variants;

import dev.scep.formats.text.InputFormatException;
import htsjdk.samtools.util.CloseableIterator;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.VariantContext;
import htsjdk.variant.vcf.VCFFileReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A VCF or BCF (plain or bgzip, read with htsjdk) read record by record in file order, as the variant jobs need it:
 * each contig in one block and positions ascending within it. A truncated or malformed file, a contig that comes back,
 * or a position that goes backwards is an {@link InputFormatException} naming the file and the record.
 */
public final class SortedVcf implements AutoCloseable {
    private final Path file;
    private final VCFFileReader reader;
    private final CloseableIterator<VariantContext> records;
    private final Set<String> finished = new HashSet<>();
    private String contig;
    private long lastPos;
    private long count;
    private boolean startsContig;

    public SortedVcf(Path vcf) throws IOException {
        if (!Files.isRegularFile(vcf)) {
            throw new java.nio.file.NoSuchFileException(vcf.toString(), null, "VCF not found");
        }
        this.file = vcf;
        try {
            this.reader = new VCFFileReader(vcf, false);
            this.records = reader.iterator();
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            throw unreadable(vcf, e);
        }
    }

    /** The error for a file htsjdk cannot read as VCF/BCF at all. */
    public static InputFormatException unreadable(Path vcf, RuntimeException e) {
        return new InputFormatException(vcf, 0, "cannot read it as VCF/BCF: " + e.getMessage());
    }

    /** Whether an alternative allele is symbolic ({@code <DEL>}, breakends), empty or the spanning deletion {@code *}. */
    public static boolean isSymbolic(Allele a) {
        return a.isSymbolic() || a.getBaseString().isEmpty() || a.getDisplayString().equals("*");
    }

    /** The genotyped samples, in column order (empty for a sites-only VCF). */
    public List<String> samples() {
        return reader.getFileHeader().getGenotypeSamples();
    }

    /** The next record, or null at the end of the file. */
    public VariantContext next() throws InputFormatException {
        VariantContext vc;
        try {
            if (!records.hasNext()) {
                return null;
            }
            vc = records.next();
        } catch (RuntimeException e) {
            throw new InputFormatException(file, 0, "cannot read record " + (count + 1) + " (after " + contig + ":"
                    + lastPos + "): " + e.getMessage() + "; the file is truncated or malformed");
        }
        count++;
        long pos = vc.getStart();
        startsContig = !vc.getContig().equals(contig);
        if (startsContig) {
            if (contig != null) {
                finished.add(contig);
            }
            contig = vc.getContig();
            if (finished.contains(contig)) {
                throw new InputFormatException(file, 0, "record " + count + " (" + contig + ":" + pos + "): contig "
                        + contig + " appears again after other contigs; sort the VCF (bcftools sort)");
            }
        } else if (pos < lastPos) {
            throw new InputFormatException(file, 0, "record " + count + " (" + contig + ":" + pos + ") comes after "
                    + contig + ":" + lastPos + ": the VCF is not sorted (bcftools sort)");
        }
        lastPos = pos;
        return vc;
    }

    /** Records read so far. */
    public long records() {
        return count;
    }

    /** Whether the record {@link #next} returned last is the first of its contig. */
    public boolean startsContig() {
        return startsContig;
    }

    @Override
    public void close() {
        records.close();
        reader.close();
    }
}
