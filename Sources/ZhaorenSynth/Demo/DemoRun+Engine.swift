import Zhaoren

extension DemoRun {
    /// The linkage engine is not built in yet: the demo runs the coverage workflow only.
    func runEngine(_ report: inout DemoReport, progress: (@Sendable (String) -> Void)?) throws(ZhaorenError) {}
}
