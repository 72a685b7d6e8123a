package dev.scep.formats.vcf;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;
import dev.scep.formats.text.TsvField;
import htsjdk.samtools.util.CloseableIterator;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.VariantContext;
import htsjdk.variant.vcf.VCFFileReader;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VCF or BCF (plain or bgzip, read with htsjdk) read record by record in file order, as the variant jobs need it:
 * each contig in one block and positions ascending within it. A truncated or malformed file, a contig that comes back,
 * or a position that goes backwards is an {@link InputFormatException} naming the file and the record. So is a
 * {@code #CHROM} line that names one sample twice: htsjdk keeps one of the two and silently drops the other's column.
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

    /**
     * Opens a VCF or BCF and checks its header. Not thread-safe: one reader per thread.
     *
     * @param vcf a VCF (plain or bgzip) or an uncompressed BCF
     * @throws IOException for a missing or unreadable file; a bad header (a sample named twice, no {@code #CHROM}
     *                     line) is an {@link InputFormatException} naming the file
     */
    public SortedVcf(Path vcf) throws IOException {
        this(vcf, null);
    }

    /**
     * A stretch of one contig, 1-based and inclusive, in the VCF's own contig names.
     *
     * @param contig the VCF's name of the contig
     * @param start  first position, at least 1
     * @param end    last position, at least {@code start}
     */
    public record Region(String contig, long start, long end) implements java.io.Serializable {
        /**
         * Checks the bounds.
         *
         * @throws IllegalArgumentException when start is below 1 or end below start
         */
        public Region {
            if (start < 1 || end < start) {
                throw new IllegalArgumentException("a region needs 1 <= start <= end, not " + contig + ":" + start + "-" + end);
            }
        }
    }

    /**
     * Opens an indexed VCF or BCF to read only the records that <em>start</em> in the given regions (a record belongs
     * to the region where it starts, as in GATK's interval sharding, so no record is read twice from adjacent
     * regions), region by region. Regions must come in the file's order, without overlap.
     *
     * @param vcf     a bgzip VCF with a tabix ({@code .tbi}) or CSI index, or a BCF with a CSI index
     * @param regions the regions, in file order; null for the whole file (no index needed)
     * @throws IOException for a missing or unreadable file, or a missing index (an {@link InputFormatException}
     *                     naming the file and how to make one)
     */
    public SortedVcf(Path vcf, List<Region> regions) throws IOException {
        if (!Files.isRegularFile(vcf)) {
            throw new java.nio.file.NoSuchFileException(vcf.toString(), null, "VCF not found");
        }
        this.file = vcf;
        VCFFileReader opened = null;
        boolean headerRead = false;
        try {
            opened = new VCFFileReader(vcf, regions != null);
            checkSampleNames(vcf);
            headerRead = true;
            this.reader = opened;
            // htsjdk parses the first record here already
            this.records = regions == null ? reader.iterator() : new RegionRecords(reader, List.copyOf(regions));
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            if (opened == null && regions != null && e instanceof htsjdk.tribble.TribbleException
                    && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("index")) {
                throw new InputFormatException(vcf, 0, "reading it by region needs an index beside it: bgzip it and run"
                        + " 'bcftools index -t' (or 'tabix -p vcf'); a BCF needs 'bcftools index' (CSI)");
            }
            if (headerRead && e instanceof RuntimeException r) {
                throw unparsable(r);
            }
            if (e instanceof htsjdk.tribble.TribbleException || e instanceof htsjdk.samtools.SAMException) {
                throw unreadable(vcf, (RuntimeException) e);
            }
            throw e;
        }
    }

    /**
     * Fails when the {@code #CHROM} line names a sample twice. htsjdk's header keeps the sample names in a set, so it
     * drops the second column of that name without a word (and reads genotypes by the remaining names): the line is
     * read here, from the decompressed text of a VCF or the header text of a BCF.
     */
    private static void checkSampleNames(Path vcf) throws IOException {
        try (Text text = Text.open(vcf)) {
            String line;
            long n = 0;
            while ((line = text.reader().readLine()) != null) {
                n++;
                int nul = line.indexOf('\0');
                if (nul >= 0) {
                    line = line.substring(0, nul);   // a BCF's header text ends with NUL
                }
                if (line.startsWith("##")) {
                    continue;
                }
                if (!line.startsWith("#CHROM")) {
                    return;   // no #CHROM line: htsjdk has accepted the header as it is
                }
                String[] columns = line.split("\t", -1);
                Map<String, Integer> seen = new HashMap<>();
                for (int c = 9; c < columns.length; c++) {
                    String problem = TsvField.problem("sample in column " + (c + 1), columns[c]);
                    if (problem != null) {
                        throw new InputFormatException(vcf, text.bcf() ? 0 : n, problem);
                    }
                    Integer first = seen.putIfAbsent(columns[c], c + 1);
                    if (first != null) {
                        throw new InputFormatException(vcf, text.bcf() ? 0 : n, (text.bcf() ? "the header's #CHROM line" : "the #CHROM line")
                                + " names sample " + columns[c] + " twice (columns " + first + " and " + (c + 1) + "); every sample"
                                + " needs its own name (e.g. bcftools reheader --samples), or one of them would be silently dropped");
                    }
                }
                return;
            }
        }
    }

    /** The decompressed text of a VCF (plain, gzip or bgzip), or the header text of a BCF. */
    private record Text(BufferedReader reader, boolean bcf) implements AutoCloseable {
        static Text open(Path vcf) throws IOException {
            InputStream in = TextInput.open(vcf);   // gzip and bgzip decompressed, as every text input
            try {
                in.mark(9);
                byte[] magic = in.readNBytes(9);
                boolean bcf = magic.length == 9 && magic[0] == 'B' && magic[1] == 'C' && magic[2] == 'F';
                if (bcf) {
                    long textLength = (magic[5] & 0xFFL) | (magic[6] & 0xFFL) << 8 | (magic[7] & 0xFFL) << 16 | (magic[8] & 0xFFL) << 24;
                    in = limited(in, textLength);
                } else {
                    in.reset();
                }
                return new Text(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), bcf);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /**
     * The contigs of a bgzip VCF as its tabix index lists them: the file's order, which sorted records follow.
     *
     * @param vcf a bgzip VCF with a {@code .tbi} index beside it
     * @return the contig names, in file order
     * @throws InputFormatException naming the file when there is no readable tabix index
     */
    public static List<String> indexedContigs(Path vcf) throws IOException {
        Path tbi = vcf.resolveSibling(vcf.getFileName() + htsjdk.samtools.util.FileExtensions.TABIX_INDEX);
        if (!Files.isRegularFile(tbi)) {
            throw new InputFormatException(vcf, 0, "sharding it needs a tabix index beside it (" + tbi.getFileName()
                    + "): bgzip the VCF and run 'bcftools index -t' (or 'tabix -p vcf')");
        }
        try {
            return List.copyOf(htsjdk.tribble.index.IndexFactory.loadIndex(tbi.toString()).getSequenceNames());
        } catch (RuntimeException e) {
            throw new InputFormatException(tbi, 0, "cannot read it as a tabix index: " + e.getMessage());
        }
    }

    /** The records that start in each region, region after region, through the index. */
    private static final class RegionRecords implements CloseableIterator<VariantContext> {
        private final VCFFileReader reader;
        private final List<Region> regions;
        private int next;
        private Region region;
        private CloseableIterator<VariantContext> query;
        private VariantContext ahead;

        RegionRecords(VCFFileReader reader, List<Region> regions) {
            this.reader = reader;
            this.regions = regions;
            advance();
        }

        private void advance() {
            ahead = null;
            while (true) {
                while (query != null && query.hasNext()) {
                    VariantContext vc = query.next();
                    if (vc.getStart() >= region.start()) {   // overlapping but starting before: the previous region's
                        ahead = vc;
                        return;
                    }
                }
                if (query != null) {
                    query.close();
                    query = null;
                }
                if (next == regions.size()) {
                    return;
                }
                region = regions.get(next++);
                query = reader.query(region.contig(), (int) Math.min(Integer.MAX_VALUE, region.start()),
                        (int) Math.min(Integer.MAX_VALUE, region.end()));
            }
        }

        @Override
        public boolean hasNext() {
            return ahead != null;
        }

        @Override
        public VariantContext next() {
            if (ahead == null) {
                throw new java.util.NoSuchElementException();
            }
            VariantContext vc = ahead;
            advance();
            return vc;
        }

        @Override
        public void close() {
            if (query != null) {
                query.close();
            }
        }
    }

    /** At most {@code limit} bytes of {@code in}. */
    private static InputStream limited(InputStream in, long limit) {
        return new FilterInputStream(in) {
            long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    private static final Pattern LINE = Pattern.compile("line number (\\d+)");
    private static final Pattern ALLELE = Pattern.compile("unparsable vcf record with allele (\\S+)");

    /**
     * The error for a record htsjdk cannot parse: where htsjdk names its line, the record there (contig:pos, read here
     * from the text), and for an allele htsjdk refuses (it reads no IUPAC code but N) the way out.
     */
    private InputFormatException unparsable(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        Matcher line = LINE.matcher(message);
        Matcher allele = ALLELE.matcher(message);
        String what = allele.find() ? "allele " + allele.group(1) + " is neither a base (A, C, G, T, N) nor symbolic: htsjdk"
                + " reads no other IUPAC ambiguity code; write ambiguous ALT bases as N, which is counted as ambiguous and not"
                + " scored" : message + "; the file is truncated or malformed";
        if (line.find()) {
            long n = Long.parseLong(line.group(1));
            String record = recordAt(n);
            if (record != null) {
                return new InputFormatException(file, n, "record " + record + ": " + what);
            }
        }
        return new InputFormatException(file, 0, "cannot read record " + (count + 1)
                + (contig == null ? "" : " (after " + contig + ":" + lastPos + ")") + ": " + what);
    }

    /** contig:pos of the record on 1-based line {@code n} of a text VCF, or null. */
    private String recordAt(long n) {
        try (Text text = Text.open(file)) {
            if (text.bcf()) {
                return null;
            }
            String line = null;
            for (long i = 0; i < n && (line = text.reader().readLine()) != null; i++) {
                // skip to line n
            }
            if (line == null || line.startsWith("#")) {
                return null;
            }
            String[] f = line.split("\t", 3);
            return f.length < 3 ? null : f[0] + ":" + f[1];
        } catch (IOException | RuntimeException ignored) {
            return null;   // the error without the record is still an error
        }
    }

    /**
     * The error for a file htsjdk cannot read as VCF/BCF at all.
     *
     * @param vcf the file
     * @param e   htsjdk's exception
     * @return the error to throw, naming the file
     */
    public static InputFormatException unreadable(Path vcf, RuntimeException e) {
        return new InputFormatException(vcf, 0, "cannot read it as VCF/BCF: " + e.getMessage());
    }

    /**
     * Whether an alternative allele is symbolic ({@code <DEL>}, breakends), empty or the spanning deletion {@code *}.
     *
     * @param a an allele
     * @return whether it names no sequence of bases
     */
    public static boolean isSymbolic(Allele a) {
        return a.isSymbolic() || a.getBaseString().isEmpty() || a.getDisplayString().equals("*");
    }

    /**
     * The file's header, as htsjdk read it.
     *
     * @return the header (htsjdk's object: copy it before changing it)
     */
    public htsjdk.variant.vcf.VCFHeader header() {
        return reader.getFileHeader();
    }

    /**
     * The genotyped samples.
     *
     * @return their names in column order (empty for a sites-only VCF)
     */
    public List<String> samples() {
        return reader.getFileHeader().getGenotypeSamples();
    }

    /**
     * The next record, checked to come after the one before (1-based positions, one block per contig).
     *
     * @return the record, or null at the end of the file
     * @throws InputFormatException for an unparsable or out-of-order record, naming the file and record
     */
    public VariantContext next() throws InputFormatException {
        VariantContext vc;
        try {
            if (!records.hasNext()) {
                return null;
            }
            vc = records.next();
        } catch (RuntimeException e) {
            throw unparsable(e);
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

    /**
     * Records read so far.
     *
     * @return the count
     */
    public long records() {
        return count;
    }

    /**
     * Whether the record {@link #next} returned last is the first of its contig.
     *
     * @return true at a contig's first record
     */
    public boolean startsContig() {
        return startsContig;
    }

    @Override
    public void close() {
        records.close();
        reader.close();
    }
}
