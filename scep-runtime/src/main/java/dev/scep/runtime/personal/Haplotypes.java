package dev.scep.runtime.personal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The haplotypes of one gene's window across all samples, each kept once: within a 10.5 kb window most people share
 * most haplotypes, so predicting the distinct ones only saves most of the work. A haplotype is the sorted
 * (site, allele) pairs where it differs from the reference, each packed as {@code site << 32 | allele}; the reference
 * itself is distinct haplotype 0.
 *
 * @param distinct   the distinct haplotypes
 * @param haplotype  per sample's haplotype (two per sample, in sample order), its index in {@code distinct}
 * @param altAlleles per sample, the alternative alleles applied on both haplotypes together
 */
record Haplotypes(List<long[]> distinct, int[] haplotype, int[] altAlleles) {
    static Haplotypes of(List<Site> sites, int samples) {
        Map<Key, Integer> ids = new HashMap<>();
        List<long[]> distinct = new ArrayList<>();
        ids.put(new Key(new long[0]), 0);
        distinct.add(new long[0]);
        int[] haplotype = new int[2 * samples];
        int[] altAlleles = new int[samples];
        long[] buf = new long[sites.size()];
        for (int h = 0; h < 2 * samples; h++) {
            int k = 0;
            for (int i = 0; i < sites.size(); i++) {
                Site site = sites.get(i);
                int a = site.alleles()[h];
                if (a > 0 && site.base()[a] != 0) {
                    buf[k++] = (long) i << 32 | a;   // site and allele index, each a full int
                }
            }
            altAlleles[h / 2] += k;
            long[] key = Arrays.copyOf(buf, k);
            haplotype[h] = ids.computeIfAbsent(new Key(key), x -> {
                distinct.add(key);
                return distinct.size() - 1;
            });
        }
        return new Haplotypes(distinct, haplotype, altAlleles);
    }

    /** The site of a packed (site, allele) pair. */
    static int site(long allele) {
        return (int) (allele >>> 32);
    }

    /** The allele index of a packed (site, allele) pair. */
    static int allele(long allele) {
        return (int) allele;
    }

    /** A haplotype as a hash key: arrays compare by identity. */
    private record Key(long[] alleles) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(alleles, k.alleles);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(alleles);
        }
    }
}
