import Foundation
import Synchronization
import Zhaoren
import ZhaorenBase
import ZhaorenSupport

/// The service's match index, rebuilt in the background after `zhaoren base update` changed the
/// base: at most every few seconds a request looks at the base's latest update; when it moved,
/// a new index is built beside the old one, which keeps answering until the new one is ready.
///
/// ```swift
/// let cache = try MatcherCache(base: base)
/// cache.current().matcher.match(query)
/// ```
public final class MatcherCache: Sendable {
    /// The base.
    public let base: PopulationBase
    /// Seconds between looks at the base's latest update.
    public let interval: Double
    private let names: NameNormalizer?
    private struct State {
        var matcher: BaseMatcher
        var update: Int
        var checked: Double
        var rebuilding: Bool
    }
    private let state: Mutex<State>

    /// Indexes `base` as it is now.
    public init(base: PopulationBase, names: NameNormalizer? = nil, interval: Double = 5) throws(ZhaorenError) {
        self.base = base
        self.names = names
        self.interval = interval
        let update = try base.latestUpdate()
        let matcher = try BaseMatcher(base: base, names: names)
        state = Mutex(State(matcher: matcher, update: update, checked: MonotonicClock.seconds(), rebuilding: false))
    }

    /// The index to answer with, and the base update it reflects; may start a rebuild.
    public func current() -> (matcher: BaseMatcher, update: Int) {
        let now = MonotonicClock.seconds()
        let (matcher, update, look) = state.withLock { s -> (BaseMatcher, Int, Bool) in
            let look = !s.rebuilding && now - s.checked >= interval
            if look { s.checked = now }
            return (s.matcher, s.update, look)
        }
        if look, let latest = try? base.latestUpdate(), latest != update {
            let start = state.withLock { s -> Bool in
                if s.rebuilding { return false }
                s.rebuilding = true
                return true
            }
            if start {
                let base = self.base, names = self.names
                Task.detached { [self] in
                    let fresh = try? BaseMatcher(base: base, names: names)
                    self.state.withLock { s in
                        if let fresh { s.matcher = fresh; s.update = latest }
                        s.rebuilding = false
                        s.checked = MonotonicClock.seconds()
                    }
                }
            }
        }
        return (matcher, update)
    }
}
