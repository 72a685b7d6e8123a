package dev.scep.formats.annotation;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TextInput;
import dev.scep.formats.text.TsvField;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the transcripts of a GTF (GENCODE, Ensembl, UCSC/RefSeq) or GFF3 file, plain or gzip/bgzip. The dialect is
 * recognised from a {@code ##gff-version 3} line or, failing that, from the attribute syntax of the first feature.
 *
 * <p>Only what scEP needs is kept: exons, coding bases (CDS + start/stop codons), gene id and name, biotype and tags.
 * Every transcript is checked: all rows on one contig and one strand, exons that do not overlap, coding bases inside
 * exons. A violation is an {@link InputFormatException} naming the file and line, because a wrong exon structure would
 * silently give a wrong window or wrong half-life features.
 *
 * <p>Coordinates are kept as the file gives them: 1-based, closed intervals on the plus strand of the contig.
 * {@link #read} keeps no state between calls and may be called from several threads at once.
 */
public final class AnnotationReader {
    /** Far beyond any contig (the longest known are ~10^11 nt), and far from overflowing sums of lengths. */
    static final long MAX_COORDINATE = 1L << 40;
    private static final Set<String> CODING_FEATURES = Set.of("CDS", "start_codon", "stop_codon");
    private static final Set<String> GFF3_GENE_FEATURES = Set.of("gene", "ncRNA_gene", "pseudogene");

    private final Path file;
    private final Map<String, Builder> transcripts = new LinkedHashMap<>();
    /** GFF3 only: gene rows by ID, and transcript rows' parent gene ID. */
    private final Map<String, String[]> gff3Genes = new HashMap<>();
    private final Map<String, String> contigNames = new HashMap<>();

    private AnnotationReader(Path file) {
        this.file = file;
    }

    /**
     * Reads every transcript of an annotation file.
     *
     * @param file a GTF or GFF3 file, plain, gzip or bgzip
     * @return the transcripts in the order of their first row; a transcript row without exon or coding rows (e.g. a
     *         GFF3 mRNA whose exons were filtered out) is left out
     * @throws InputFormatException naming the file and line when a row or a transcript is malformed (wrong column
     *                              count, bad coordinate or strand, missing id, overlapping exons, coding bases outside
     *                              the exons, a name with a control character, a damaged compressed file)
     * @throws IOException          when the file cannot be read
     */
    public static List<Transcript> read(Path file) throws IOException {
        return new AnnotationReader(file).parse();
    }

    private List<Transcript> parse() throws IOException {
        Boolean gff3 = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(TextInput.open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith("##gff-version")) {
                    gff3 = line.substring("##gff-version".length()).strip().startsWith("3");
                    continue;
                }
                if (line.startsWith("##FASTA")) {
                    break; // GFF3 may embed sequences after this line
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 9) {
                    throw new InputFormatException(file, lineNo, "expected 9 tab-separated columns (GTF/GFF), found " + f.length);
                }
                if (gff3 == null) {
                    gff3 = !f[8].strip().matches("^[A-Za-z_][A-Za-z0-9_.]*\\s+.*");
                }
                Row row = row(f, lineNo);
                if (gff3) {
                    addGff3(row, f[8]);
                } else {
                    addGtf(row, f[8]);
                }
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new InputFormatException(file, 0, "the compressed file is truncated or corrupted (" + e.getMessage() + ")");
        }
        List<Transcript> out = new ArrayList<>(transcripts.size());
        for (Builder b : transcripts.values()) {
            if (b.exons.isEmpty()) {
                if (b.coding.isEmpty()) {
                    continue; // a transcript row with no exon rows (e.g. a GFF3 mRNA whose exons were filtered): nothing to use
                }
                throw new InputFormatException(file, b.line, "transcript " + b.id + " has CDS rows but no exon rows");
            }
            out.add(b.build());
        }
        return out;
    }

    private record Row(String contig, String source, String feature, long start, long end, Strand strand, long line) {
    }

    private Row row(String[] f, long line) throws InputFormatException {
        long start = coordinate(f[3], "start", line);
        long end = coordinate(f[4], "end", line);
        if (end < start) {
            throw new InputFormatException(file, line, "end " + end + " is before start " + start);
        }
        Strand strand = Strand.parse(f[6]);
        String feature = f[2];
        if (strand == null && (feature.equals("exon") || CODING_FEATURES.contains(feature))) {
            throw new InputFormatException(file, line, "strand must be '+' or '-' for a " + feature + " row, found '" + f[6] + "'");
        }
        String contig = contigNames.get(f[0]);
        if (contig == null) {
            contig = name(f[0], "contig", line);
            contigNames.put(contig, contig);
        }
        return new Row(contig, f[1], feature, start, end, strand, line);
    }

    private long coordinate(String s, String what, long line) throws InputFormatException {
        try {
            long v = Long.parseLong(s.strip());
            if (v < 1 || v > MAX_COORDINATE) {
                throw new InputFormatException(file, line, what + " must be a 1-based coordinate between 1 and "
                        + MAX_COORDINATE + ", found " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputFormatException(file, line, what + " is not a whole number: '" + s + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------------ GTF

    private void addGtf(Row row, String attributes) throws InputFormatException {
        Map<String, List<String>> attrs = gtfAttributes(attributes, row.line);
        String transcriptId = name(first(attrs, "transcript_id"), "transcript_id", row.line);
        if (transcriptId == null || transcriptId.isEmpty()) {
            if (row.feature.equals("exon") || CODING_FEATURES.contains(row.feature)) {
                throw new InputFormatException(file, row.line, row.feature + " row without a transcript_id attribute");
            }
            return; // gene rows and the like
        }
        String geneId = name(first(attrs, "gene_id"), "gene_id", row.line);
        if (geneId == null || geneId.isEmpty()) {
            throw new InputFormatException(file, row.line, "row of transcript " + transcriptId + " without a gene_id attribute");
        }
        Builder b = transcripts.computeIfAbsent(transcriptId, id -> new Builder(id, geneId, row));
        b.describe(name(first(attrs, "gene_name"), "gene_name", row.line), biotype(attrs), attrs.getOrDefault("tag", List.of()),
                row.source);
        b.add(row);
    }

    private Map<String, List<String>> gtfAttributes(String s, long line) throws InputFormatException {
        Map<String, List<String>> out = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ';')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && s.charAt(i) != ' ' && s.charAt(i) != ';') {
                i++;
            }
            String key = s.substring(keyStart, i);
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            String value;
            if (i < n && s.charAt(i) == '"') {
                // a quoted string: ';' and spaces are literal inside it, and a backslash escapes the next character
                StringBuilder v = new StringBuilder();
                int j = i + 1;
                while (j < n && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    v.append(s.charAt(j++));
                }
                if (j >= n) {
                    throw new InputFormatException(file, line, "unterminated quoted value of attribute " + key);
                }
                value = v.toString();
                i = j + 1;
            } else {
                int valueStart = i;
                while (i < n && s.charAt(i) != ';') {
                    i++;
                }
                value = s.substring(valueStart, i).strip();
            }
            out.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------------- GFF3

    private void addGff3(Row row, String attributes) throws InputFormatException {
        Map<String, List<String>> attrs = gff3Attributes(attributes, row.line);
        String id = name(first(attrs, "ID"), "ID", row.line);
        List<String> parents = attrs.getOrDefault("Parent", List.of());
        for (String parent : parents) {
            name(parent, "Parent", row.line);
        }
        if (GFF3_GENE_FEATURES.contains(row.feature) && id != null) {
            String geneId = name(first(attrs, "gene_id"), "gene_id", row.line);
            String name = name(first(attrs, "Name"), "Name", row.line);
            gff3Genes.put(id, new String[]{geneId != null ? geneId : stripPrefix(id, "gene:"),
                    name != null ? name : name(first(attrs, "gene_name"), "gene_name", row.line), biotype(attrs)});
            return;
        }
        boolean part = row.feature.equals("exon") || CODING_FEATURES.contains(row.feature);
        if (part) {
            if (parents.isEmpty()) {
                throw new InputFormatException(file, row.line, row.feature + " row without a Parent attribute");
            }
            for (String parent : parents) {
                Builder b = transcripts.computeIfAbsent(parent, p -> new Builder(p, p, row));
                b.add(row);
            }
        } else if (id != null && !parents.isEmpty()) {
            // a transcript-level row (mRNA, transcript, lnc_RNA, ...): its Parent is the gene
            Builder b = transcripts.computeIfAbsent(id, p -> new Builder(p, parents.get(0), row));
            b.gff3GeneRef = parents.get(0);
            String transcriptId = name(first(attrs, "transcript_id"), "transcript_id", row.line);
            b.publicId = transcriptId != null ? transcriptId : stripPrefix(id, "transcript:");
            b.describe(null, biotype(attrs), attrs.getOrDefault("tag", List.of()), row.source);
        }
    }

    private Map<String, List<String>> gff3Attributes(String s, long line) throws InputFormatException {
        Map<String, List<String>> out = new HashMap<>();
        for (String pair : s.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InputFormatException(file, line, "GFF3 attribute without '=': '" + pair.strip() + "'");
            }
            String key = pair.substring(0, eq).strip();
            List<String> values = new ArrayList<>(1);
            for (String v : pair.substring(eq + 1).split(",")) {
                values.add(v.indexOf('%') >= 0 ? percentDecoded(v, key, line) : v);
            }
            out.put(key, values);
        }
        return out;
    }

    /**
     * GFF3's escaping: {@code %XX} is the byte XX (UTF-8 text); nothing else is special ({@code +} stays a plus,
     * unlike in URLs).
     */
    private String percentDecoded(String v, String key, long line) throws InputFormatException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(v.length());
        byte[] raw = v.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
                if (lo < 0) {
                    throw new InputFormatException(file, line, "attribute " + key + ": '%' must start an escape of two"
                            + " hexadecimal digits (%09 is a tab, %3B a ';'), found '" + v + "'");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A name the reader keeps (contig, gene, transcript), held to the rule of every name that reaches a table. */
    private String name(String value, String what, long line) throws InputFormatException {
        String problem = TsvField.problem(what, value);
        if (problem != null) {
            throw new InputFormatException(file, line, problem);
        }
        return value;
    }

    private static String stripPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    // ------------------------------------------------------------------------------------------------- common

    private static String first(Map<String, List<String>> attrs, String key) {
        List<String> v = attrs.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String biotype(Map<String, List<String>> attrs) {
        for (String key : List.of("gene_type", "gene_biotype", "biotype", "transcript_type", "transcript_biotype")) {
            String v = first(attrs, key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private record Part(long start, long end, long line) {
    }

    /** Collects one transcript's rows and checks them as they arrive. */
    private final class Builder {
        final String id;
        String publicId;
        String geneId;
        String gff3GeneRef;
        String geneName;
        String biotype;
        final String contig;
        final Strand strand;
        final long line;
        final long strandLine;
        final Set<String> tags = new LinkedHashSet<>();
        final List<Part> exons = new ArrayList<>();
        final List<Part> coding = new ArrayList<>();

        Builder(String id, String geneId, Row first) {
            this.id = id;
            this.geneId = geneId;
            this.contig = first.contig;
            this.strand = first.strand;
            this.line = first.line;
            this.strandLine = first.line;
        }

        void describe(String name, String type, List<String> newTags, String source) {
            if (name != null && geneName == null) {
                geneName = name;
            }
            if (type != null && biotype == null) {
                biotype = type;
            }
            if ("transgene".equalsIgnoreCase(source) && biotype == null) {
                biotype = "transgene";
            }
            tags.addAll(newTags);
        }

        void add(Row row) throws InputFormatException {
            if (!row.contig.equals(contig)) {
                throw new InputFormatException(file, row.line, "transcript " + name() + " has rows on two contigs: "
                        + contig + " (line " + line + ") and " + row.contig);
            }
            if (row.strand != null && strand != null && row.strand != strand) {
                throw new InputFormatException(file, row.line, "transcript " + name() + " has rows on both strands: '"
                        + strand.symbol() + "' at line " + strandLine + " and '" + row.strand.symbol() + "' here");
            }
            Part p = new Part(row.start, row.end, row.line);
            if (row.feature.equals("exon")) {
                exons.add(p);
            } else if (CODING_FEATURES.contains(row.feature)) {
                coding.add(p);
            }
        }

        String name() {
            return publicId != null ? publicId : id;
        }

        Transcript build() throws InputFormatException {
            if (strand == null) {
                throw new InputFormatException(file, line, "transcript " + name() + " has no strand");
            }
            exons.sort(Comparator.comparingLong(Part::start));
            for (int i = 1; i < exons.size(); i++) {
                Part a = exons.get(i - 1);
                Part b = exons.get(i);
                if (b.start <= a.end) {
                    throw new InputFormatException(file, b.line, "exons of transcript " + name() + " overlap: "
                            + contig + ":" + a.start + "-" + a.end + " (line " + a.line + ") and " + b.start + "-" + b.end);
                }
            }
            long[] es = exons.stream().mapToLong(Part::start).toArray();
            long[] ee = exons.stream().mapToLong(Part::end).toArray();
            List<Part> merged = mergeCoding();
            for (Part c : merged) {
                if (!coveredByExons(c, es, ee)) {
                    throw new InputFormatException(file, c.line, "coding bases " + contig + ":" + c.start + "-" + c.end
                            + " of transcript " + name() + " lie outside its exons");
                }
            }
            String gene = geneId;
            String name = geneName;
            String type = biotype;
            if (gff3GeneRef != null) {
                String[] g = gff3Genes.get(gff3GeneRef);
                gene = g != null ? g[0] : stripPrefix(gff3GeneRef, "gene:");
                if (g != null) {
                    name = name != null ? name : g[1];
                    type = type != null ? type : g[2];
                }
            }
            return new Transcript(name(), gene, name, type, contig, strand, es, ee,
                    merged.stream().mapToLong(Part::start).toArray(), merged.stream().mapToLong(Part::end).toArray(),
                    Set.copyOf(tags), line);
        }

        /** CDS and codon rows merged into disjoint intervals (a stop codon inside a CDS row counts once). */
        private List<Part> mergeCoding() {
            Part[] sorted = coding.toArray(Part[]::new);
            Arrays.sort(sorted, Comparator.comparingLong(Part::start));
            List<Part> out = new ArrayList<>();
            for (Part p : sorted) {
                Part last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && p.start <= last.end + 1 && sameExon(last, p)) {
                    out.set(out.size() - 1, new Part(last.start, Math.max(last.end, p.end), last.line));
                } else {
                    out.add(p);
                }
            }
            return out;
        }

        /** Adjacent coding rows are merged only within one exon, so merged intervals never span an intron. */
        private boolean sameExon(Part a, Part b) {
            for (Part e : exons) {
                if (e.start <= a.start && a.end <= e.end) {
                    return e.start <= b.start && Math.max(a.end, b.end) <= e.end;
                }
            }
            return false;
        }

        private static boolean coveredByExons(Part c, long[] es, long[] ee) {
            for (int i = 0; i < es.length; i++) {
                if (es[i] <= c.start && c.end <= ee[i]) {
                    return true;
                }
            }
            return false;
        }
    }
}
