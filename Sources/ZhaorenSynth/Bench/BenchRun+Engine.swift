import Zhaoren

extension BenchRun {
    /// What the engine part of a run found.
    struct EngineFigures {
        var dedupe: BenchPairwise?
        var link: BenchPairwise?
    }

    /// The linkage engine is not built in yet: no dedupe or link stages.
    func runEngine(_ clock: inout BenchClock) throws(ZhaorenError) -> EngineFigures {
        EngineFigures()
    }
}
