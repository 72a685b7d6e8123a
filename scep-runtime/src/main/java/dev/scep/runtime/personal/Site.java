package dev.scep.runtime.personal;

/**
 * One VCF record inside a gene's window: per allele index its base (0 when not applied), per sample two allele
 * indices (ints: a record may have any number of alleles, and a byte would wrap at 128).
 */
record Site(long pos, byte[] base, int[] alleles) {
}
