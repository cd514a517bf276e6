import Testing
@testable import Display

@Suite struct ColorTests {
    @Test func sequentialColoursDarkenMonotonically() {
        let map = ColorMapping(scale: .sequential, lower: 0, upper: 1)
        let lums = (0...100).map { map.color(Double($0) / 100).luminance }
        #expect(zip(lums, lums.dropFirst()).allSatisfy { $0 > $1 })
        #expect(map.color(0).hex == "#ffffff")
        #expect(map.color(-3) == map.color(0) && map.color(7) == map.color(1))
    }

    @Test func divergingIsWhiteAtZeroAndDarkensWithMagnitude() {
        let map = ColorMapping.fitted(to: [-0.5, 0.2, 1])
        #expect(map.scale == .diverging && map.lower == -1 && map.upper == 1)
        #expect(map.color(0).hex == "#ffffff")
        let pos = (0...50).map { map.color(Double($0) / 50).luminance }
        let neg = (0...50).map { map.color(-Double($0) / 50).luminance }
        #expect(zip(pos, pos.dropFirst()).allSatisfy { $0 > $1 })
        #expect(zip(neg, neg.dropFirst()).allSatisfy { $0 > $1 })
        let red = map.color(1), blue = map.color(-1)
        #expect(red.r > red.b && blue.b > blue.r)
    }

    @Test func fittedMappingsAndDegenerateRanges() {
        #expect(ColorMapping.fitted(to: [0.1, 0.9]) == ColorMapping(scale: .sequential, lower: 0, upper: 1))
        #expect(ColorMapping.fitted(to: [2, 4]).lower == 2)
        let same = ColorMapping(scale: .sequential, lower: 3, upper: 3)
        #expect(same.upper > same.lower)
        #expect(ColorMapping.fitted(to: []).upper == 1)
        #expect(ColorMapping.fitted(to: [.nan]).color(.nan).hex == "#bbbbbb")
    }

    @Test func colorModeDetection() {
        #expect(ColorMode.detect(isTerminal: false, environment: [:]) == .off)
        #expect(ColorMode.detect(isTerminal: true, environment: ["NO_COLOR": "1"]) == .off)
        #expect(ColorMode.detect(isTerminal: true, environment: ["NO_COLOR": ""]) == .ansi256)
        #expect(ColorMode.detect(isTerminal: true, environment: ["COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorMode.detect(isTerminal: true, environment: ["TERM": "dumb"]) == .off)
        #expect(ANSI.index256(RGB(0, 0, 0)) == 16 && ANSI.index256(RGB(255, 255, 255)) == 231)
    }

    @Test func numberText() {
        #expect(NumberText.fixed(0.825, 2) == "0.83")
        #expect(NumberText.fixed(-0.0001, 2) == "0.00")
        #expect(NumberText.fixed(-1.5, 0) == "-2")
        #expect(NumberText.fixed(.nan, 2) == "nan")
        #expect(NumberText.shortest(3) == "3" && NumberText.shortest(0.1) == "0.1")
        #expect(NumberText.compact(123456.7) == "123457")
        #expect(NumberText.compact(0.000012345) == "1.235e-05")
        #expect(NumberText.compact(1e300) == "1e+300")
        #expect(NumberText.compact(-0.5) == "-0.5")
    }
}
