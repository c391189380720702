/// The report's charts, drawn as inline SVG by hand: horizontal bar charts (which grow in
/// height with the number of rows, so 100+ townships stay readable) and a histogram.
enum SVGChart {
    /// One bar.
    struct Bar {
        /// The row label (left of the bar).
        var label: String
        /// The bar length, in the chart's units (0…``horizontalBars(_:max:percent:reference:)``'s max).
        var value: Double
        /// The text right of the bar (e.g. `91.2% (602/660)`).
        var text: String
        /// The fill colour.
        var color: String = "#3b6ea5"
    }

    static let width = 820.0
    static let rowHeight = 22.0

    /// Approximate rendered width of `text` at 13 px: CJK and full-width characters 13 px,
    /// others 7.5 px.
    static func textWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 13 : 7.5) }
    }

    /// `text` cut with an ellipsis to fit `limit` pixels.
    static func fit(_ text: String, _ limit: Double) -> String {
        guard textWidth(text) > limit else { return text }
        var out = ""
        var used = 13.0
        for ch in text {
            let w = textWidth(String(ch))
            if used + w > limit { break }
            used += w
            out.append(ch)
        }
        return out + "…"
    }

    /// A horizontal bar chart, one row per bar in the order given. With `percent`, the axis
    /// is 0–100 % (values are fractions); otherwise 0…`max`. `reference` draws a dashed line
    /// (e.g. the city-wide rate) with its caption.
    ///
    /// With `zoom`, a percent axis spans only the bars' range (in steps of 5 or 10 points, at
    /// least 10 points wide), so that 70.9 % and 79.5 % do not look alike; the first tick says
    /// where it starts.
    static func horizontalBars(_ bars: [Bar], max: Double, percent: Bool = false, zoom: Bool = false,
                               reference: (value: Double, caption: String)? = nil, title: String) -> String {
        let labelWidth = Swift.min(280, Swift.max(80, (bars.map { textWidth($0.label) }.max() ?? 0) + 14))
        let valueWidth = Swift.max(90, Swift.min(200, (bars.map { textWidth($0.text) }.max() ?? 0) + 12))
        let barArea = width - labelWidth - valueWidth
        let top = reference == nil ? 6.0 : 22.0
        let height = top + Double(bars.count) * rowHeight + 26
        // Counts are scaled to the last round tick, so the axis ends inside the chart.
        var ticks = percent ? [0, 0.25, 0.5, 0.75, 1.0] : niceTicks(max)
        var axisMin = 0.0
        var axisMax = percent ? max : Swift.max(max, ticks.last ?? max)
        if percent, zoom, let range = Self.zoomedRange(bars.map(\.value) + (reference.map { [$0.value] } ?? [])) {
            (axisMin, axisMax) = (range.lowerBound, range.upperBound)
            let step = axisMax - axisMin > 0.5 ? 0.1 : 0.05
            ticks = stride(from: axisMin, through: axisMax + 1e-9, by: step).map { $0 }
        }
        let scale = axisMax > axisMin ? barArea / (axisMax - axisMin) : 0
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(n(width)) \#(n(height))" width="\#(n(width))" height="\#(n(height))">"#
        svg += "<title>\(HTMLText.escape(title))</title>"
        // Grid lines and axis ticks.
        let axisY = top + Double(bars.count) * rowHeight
        for t in ticks {
            let x = labelWidth + (t - axisMin) * scale
            svg += #"<line x1="\#(n(x))" y1="\#(n(top))" x2="\#(n(x))" y2="\#(n(axisY))" class="grid"/>"#
            let tick = percent ? "\(Int((t * 100).rounded()))%" : grouped(Int(t.rounded()))
            svg += #"<text x="\#(n(x))" y="\#(n(axisY + 16))" class="tick" text-anchor="middle">\#(tick)</text>"#
        }
        if let reference {
            let x = labelWidth + (Swift.min(axisMax, Swift.max(axisMin, reference.value)) - axisMin) * scale
            svg += #"<line x1="\#(n(x))" y1="\#(n(top - 4))" x2="\#(n(x))" y2="\#(n(axisY))" class="ref"/>"#
            svg += #"<text x="\#(n(x))" y="\#(n(top - 8))" text-anchor="middle" class="refcap">\#(HTMLText.escape(reference.caption))</text>"#
        }
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = Swift.max(0, Swift.min(barArea, (bar.value - axisMin) * scale))
            let label = fit(bar.label, labelWidth - 14)
            svg += #"<g><title>\#(HTMLText.escape(bar.label + "：" + bar.text))</title>"#
            svg += #"<text x="\#(n(labelWidth - 8))" y="\#(n(y + 15))" text-anchor="end" class="label">\#(HTMLText.escape(label))</text>"#
            svg += #"<rect x="\#(n(labelWidth))" y="\#(n(y + 4))" width="\#(n(w))" height="14" fill="\#(bar.color)"/>"#
            svg += #"<text x="\#(n(labelWidth + w + 6))" y="\#(n(y + 15))" class="value">\#(HTMLText.escape(bar.text))</text></g>"#
        }
        svg += "</svg>"
        return svg
    }

    /// The percent axis for `values` (fractions): from 5 points below the lowest to 5 above
    /// the highest, on 5-point marks, at least 10 points wide, within 0…1; `nil` without values.
    static func zoomedRange(_ values: [Double]) -> ClosedRange<Double>? {
        guard let lo = values.min(), let hi = values.max() else { return nil }
        var from = Swift.max(0, ((lo - 0.05) * 20).rounded(.down) / 20)
        var to = Swift.min(1, ((hi + 0.05) * 20).rounded(.up) / 20)
        while to - from < 0.1 - 1e-9 {
            if from > 0 { from = Swift.max(0, from - 0.05) }
            if to - from < 0.1 - 1e-9, to < 1 { to = Swift.min(1, to + 0.05) }
            if from == 0 && to == 1 { break }
        }
        return from...to
    }

    /// A histogram of `values` in `binCount` equal bins between their minimum and maximum,
    /// with count and value axes.
    static func histogram(_ values: [Float], binCount: Int = 40, title: String, xCaption: String) -> String {
        let finite = values.filter(\.isFinite)
        guard let lo0 = finite.min(), let hi0 = finite.max() else {
            return #"<p class="empty">无数据 (no data)</p>"#
        }
        var lo = Double(lo0), hi = Double(hi0)
        if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
        var bins = [Int](repeating: 0, count: binCount)
        let binWidth = (hi - lo) / Double(binCount)
        for v in finite {
            let b = Swift.min(binCount - 1, Swift.max(0, Int((Double(v) - lo) / binWidth)))
            bins[b] += 1
        }
        let left = 60.0, right = 16.0, top = 12.0, plotHeight = 200.0, bottom = 44.0
        let height = top + plotHeight + bottom
        let plotWidth = width - left - right
        let maxCount = bins.max() ?? 1
        let yTicks = niceTicks(Double(maxCount))
        let yMax = Swift.max(Double(maxCount), yTicks.last ?? 1)
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(n(width)) \#(n(height))" width="\#(n(width))" height="\#(n(height))">"#
        svg += "<title>\(HTMLText.escape(title))</title>"
        for t in yTicks {
            let y = top + plotHeight - t / yMax * plotHeight
            svg += #"<line x1="\#(n(left))" y1="\#(n(y))" x2="\#(n(width - right))" y2="\#(n(y))" class="grid"/>"#
            svg += #"<text x="\#(n(left - 6))" y="\#(n(y + 4))" text-anchor="end" class="tick">\#(grouped(Int(t.rounded())))</text>"#
        }
        let barWidth = plotWidth / Double(binCount)
        let barColor = "#3b6ea5"
        for (i, c) in bins.enumerated() where c > 0 {
            let h = Double(c) / yMax * plotHeight
            let x = left + Double(i) * barWidth
            let from = lo + Double(i) * binWidth
            svg += #"<rect x="\#(n(x + 0.5))" y="\#(n(top + plotHeight - h))" width="\#(n(Swift.max(1, barWidth - 1)))" height="\#(n(h))" fill="\#(barColor)"><title>\#(fixed(from, 2))–\#(fixed(from + binWidth, 2))：\#(grouped(c))</title></rect>"#
        }
        svg += #"<line x1="\#(n(left))" y1="\#(n(top + plotHeight))" x2="\#(n(width - right))" y2="\#(n(top + plotHeight))" class="axis"/>"#
        for k in 0...5 {
            let v = lo + (hi - lo) * Double(k) / 5
            let x = left + plotWidth * Double(k) / 5
            svg += #"<text x="\#(n(x))" y="\#(n(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(fixed(v, 1))</text>"#
        }
        svg += #"<text x="\#(n(left + plotWidth / 2))" y="\#(n(height - 6))" text-anchor="middle" class="label">\#(HTMLText.escape(xCaption))</text>"#
        svg += "</svg>"
        return svg
    }

    /// 0 and 3–6 round ticks up to at least `max` (1, 2, 5 × 10^k steps).
    static func niceTicks(_ max: Double) -> [Double] {
        guard max > 0 else { return [0, 1] }
        var step = 1.0
        while max / step > 5 {
            for m in [2.0, 2.5, 2.0] {
                step *= m
                if max / step <= 5 { break }
            }
        }
        var ticks: [Double] = []
        var t = 0.0
        while t < max + step * 0.999 {
            ticks.append(t)
            t += step
            if ticks.count > 12 { break }
        }
        return ticks
    }

    /// A coordinate with at most one decimal (`12`, `12.5`).
    static func n(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// `x` with exactly `places` decimals.
    static func fixed(_ x: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let negative = x < 0
        let scaled = Int64((abs(x) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        return (negative && scaled != 0 ? "-" : "") + String(whole) + (places > 0 ? "." + fraction : "")
    }

    /// An integer with thousands separators (`1,214,000`).
    static func grouped(_ v: Int) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }
}
