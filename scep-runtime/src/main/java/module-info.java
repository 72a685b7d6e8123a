/**
 * The scEP network at run time: prediction on the CPU (Vector API kernels, or plain Java when
 * {@code jdk.incubator.vector} is absent) and on the GPU (cuDNN), exact incremental in-silico mutagenesis, variant
 * scoring from VCFs and personal genomes.
 *
 * <p>The front door: {@link dev.scep.runtime.Predictor}, {@link dev.scep.runtime.Ism},
 * {@link dev.scep.runtime.variants.GenePanel}, {@link dev.scep.runtime.variants.VariantScoring} and
 * {@link dev.scep.runtime.personal.PersonalGenomes}. The engines ({@code cpu}, {@code gpu}, {@code ism},
 * {@code network}) are internal, shared only with the trainer.
 */
module dev.scep.runtime {
    requires transitive dev.scep.formats;
    requires transitive dev.scep.nativebindings;
    requires static jdk.incubator.vector;   // optional: without it the scalar kernels run
    requires java.desktop;                  // the ISM plot (PNG)
    requires org.slf4j;

    exports dev.scep.runtime;
    exports dev.scep.runtime.variants;
    exports dev.scep.runtime.personal;

    exports dev.scep.runtime.cpu to dev.scep.train;
    exports dev.scep.runtime.network to dev.scep.train;
    exports dev.scep.runtime.gpu to dev.scep.train;   // GpuTrainingNetwork: the GPU trainer's step
}
