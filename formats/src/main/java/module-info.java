/**
 * Files and formats: the versioned, checksummed {@code .scep} model file and {@code .sced} dataset file, and readers
 * for the genomic inputs (FASTA with .fai/.gzi, GTF/GFF3, VCF/BCF through htsjdk, expression matrices, h5ad and the
 * published Keras models through jhdf). Every reader checks what it reads and fails naming the file, record and field.
 *
 * <p>Exported: the model ({@code model}), file I/O ({@code io}), genome and annotation readers, expression matrices,
 * text formats, VCF reading, Keras and PyTorch import, and the original scEP dataset and label files ({@code scep}).
 * {@code json} and {@code npy} are helpers for our own modules, {@code hdf5}
 * (jhdf behind a size check) for this one.
 */
module dev.scep.formats {
    requires transitive htsjdk;
    requires io.jhdf;
    // jhdf is an automatic module and declares no dependencies: without these an application on the module path
    // fails in jhdf with NoClassDefFoundError (commons-lang3 always; the LZF and LZ4 filters for such datasets)
    requires org.apache.commons.lang3;
    requires com.ning.compress.lzf;
    requires org.lz4.java;
    requires pickle;   // Pyrolite (net.razorvine:pickle, an automatic module): torch.save checkpoints, read only
    requires org.slf4j;

    exports dev.scep.formats;
    exports dev.scep.formats.annotation;
    exports dev.scep.formats.expression;
    exports dev.scep.formats.genome;
    exports dev.scep.formats.io;
    exports dev.scep.formats.keras;
    exports dev.scep.formats.model;
    exports dev.scep.formats.scep;
    exports dev.scep.formats.pytorch;
    exports dev.scep.formats.text;
    exports dev.scep.formats.vcf;

    exports dev.scep.formats.json to dev.scep.runtime, dev.scep.train, dev.scep.cli;
    exports dev.scep.formats.npy to dev.scep.runtime, dev.scep.train, dev.scep.cli;
}
