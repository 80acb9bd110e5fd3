import Foundation
import FuzzSupport
import Testing
import SocketIOProtocol

@Suite struct JSONValueTests {
    // MARK: Byte-exact round trips

    @Test(arguments: [
        "null", "true", "false", "0", "-0", "42", "-7", "1.50", "1e3", "1E+3", "-2.5e-10", "123456789012345678901234567890",
        #""""#, #""hello""#, #""a/b""#, #""héllo → wörld ✓ 👋🏽""#,
        "[]", "{}", "[[],{}]",
        #"{"b":1,"a":[true,null]}"#,
        #"{"zeta":1,"alpha":2,"mid":{"z":[1.0,2.00],"a":"x"}}"#,
        #"{"a":1,"a":2}"#,
        #"["foo",{"_placeholder":true,"num":0},[1,[2,[3]]]]"#,
        #""quote \" backslash \\ newline \n tab \t cr \r bs \b ff \f""#,
        #""\u0000\u0001\u001f""#,
    ])
    func roundTripsByteExact(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.jsonString == text)
        #expect(value.jsonBytes == Array(text.utf8))
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
    }

    @Test func keepsKeyOrderAndNumberText() throws {
        let value = try JSONValue(parsing: #"{"b":1.50,"a":1e3}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.members.map(\.key) == ["b", "a"])
        #expect(value["b"]?.jsonString == "1.50")
        #expect(value["a"]?.jsonString == "1e3")
        #expect(value["a"]?.intValue == 1000)
        #expect(value["b"]?.intValue == nil)
    }

    @Test func whitespaceIsDroppedWhenWritten() throws {
        #expect(try JSONValue(parsing: " \n\t{ \"a\" : [ 1 , 2 ] ,\r\n \"b\" : { } } ").jsonString == #"{"a":[1,2],"b":{}}"#)
    }

    // MARK: Strings and escapes

    @Test func slashIsNotEscaped() throws {
        #expect(try JSONValue(parsing: #""a\/b""#) == .string("a/b"))
        #expect(JSONValue.string("/admin/x").jsonString == #""/admin/x""#)
    }

    @Test func controlCharactersAreEscapedAsJavaScriptDoes() {
        #expect(JSONValue.string("\n\r\t\u{8}\u{c}").jsonString == #""\n\r\t\b\f""#)
        #expect(JSONValue.string("\u{0}\u{1}\u{1b}\u{1f}").jsonString == #""\u0000\u0001\u001b\u001f""#)
        #expect(JSONValue.string("\u{7f} \u{2028}").jsonString == "\"\u{7f} \u{2028}\"")
        #expect(JSONValue.string("say \"hi\" \\o/").jsonString == #""say \"hi\" \\o/""#)
    }

    @Test func unicodeEscapesAreDecoded() throws {
        #expect(try JSONValue(parsing: #""\u0041\u00e9\u00E9\u2713""#) == .string("Aéé✓"))
        #expect(try JSONValue(parsing: #""x\u00e9y""#).jsonString == #""xéy""#)
    }

    @Test func surrogatePairsAreDecoded() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue(parsing: #""a\uD83D\uDC4B\uD83C\uDFFDb""#) == .string("a👋🏽b"))
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#).jsonString == "\"😀\"")
    }

    @Test func loneSurrogatesBecomeReplacementCharacter() throws {
        #expect(try JSONValue(parsing: #""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONValue(parsing: #""\udc00x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue(parsing: #""\ud800\u0041""#) == .string("\u{FFFD}A"))
    }

    // MARK: Rejections

    @Test(arguments: [
        "", " ", "[1,]", #"{"a":1,}"#, "[,1]", "01", "-01", "00", "1.", ".5", "+1", "1e", "1e+", "-", "--1",
        "NaN", "Infinity", "tru", "nul", "True", "[1 2]", "{a:1}", "{'a':1}", #"{"a"}"#, #"{"a":}"#, #"{"a" 1}"#,
        #""abc"#, #""abc\"#, #""\x""#, #""\u12""#, #""\u12G4""#, "\"a\nb\"", "\"tab\there\"",
        "[", "]", "{", "}", "[1,2", #"{"a":1"#, "1 2", "[] []", #""a" x"#, "[1]]",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func acceptsModerateNesting() throws {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONValue(parsing: text).jsonString == text)
    }

    @Test(arguments: [200, 100_000])
    func deepNestingThrowsInsteadOfCrashing(depth: Int) {
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: arrays) }
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: objects) }
        let unclosed = String(repeating: "[", count: depth)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: unclosed) }
    }

    // MARK: Literals and accessors

    @Test func literalsBuildValuesInOrder() {
        let value: JSONValue = ["z": 1, "a": [true, nil, "s", 1.5]]
        #expect(value.jsonString == #"{"z":1,"a":[true,null,"s",1.5]}"#)
        #expect(value["a"]?[2]?.stringValue == "s")
        #expect(value["a"]?[9] == nil)
        #expect(value["missing"] == nil)
        #expect(value["a"]?.arrayValue?.count == 4)
    }

    @Test func duplicateKeyLookupReturnsLastAsJavaScript() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":0,"a":2}"#)
        #expect(value["a"]?.intValue == 2)
    }

    @Test func binaryLeavesAreWrittenAsPlaceholders() {
        let value: JSONValue = ["x", .binary([1]), ["k": .binary([2])]]
        #expect(value.containsBinary)
        #expect(value.jsonString == #"["x",{"_placeholder":true,"num":0},{"k":{"_placeholder":true,"num":1}}]"#)
    }

    // MARK: Codable bridging

    struct Profile: Codable, Equatable {
        var zeta: String
        var alpha: Int
        var url: String
        var ratio: Double
        var tags: [String]
        var nested: Nested
        struct Nested: Codable, Equatable { var y: Bool; var b: Int? }
    }

    static let profile = Profile(
        zeta: "z", alpha: 1, url: "https://a/b", ratio: 1.5, tags: ["t"], nested: .init(y: true, b: 2))

    @Test func encodingKeepsDeclarationOrder() throws {
        let value = try JSONValue(encoding: Self.profile)
        #expect(value.jsonString == #"{"zeta":"z","alpha":1,"url":"https://a/b","ratio":1.5,"tags":["t"],"nested":{"y":true,"b":2}}"#)
    }

    @Test func decodeAsRoundTripsAStruct() throws {
        let value = try JSONValue(encoding: Self.profile)
        #expect(try value.decode(as: Profile.self) == Self.profile)
        let parsed = try JSONValue(parsing: #"{"nested":{"y":false},"tags":[],"ratio":2,"url":"/","alpha":-3,"zeta":""}"#)
        #expect(try parsed.decode(as: Profile.self) == Profile(zeta: "", alpha: -3, url: "/", ratio: 2, tags: [], nested: .init(y: false, b: nil)))
    }

    @Test func decodeAsRejectsTheWrongShape() throws {
        let value = try JSONValue(parsing: #"{"zeta":1}"#)
        #expect(throws: DecodingError.self) { try value.decode(as: Profile.self) }
    }

    @Test func bytesPassThroughAsBinary() throws {
        #expect(try JSONValue(encoding: [UInt8]([1, 2])) == .binary([1, 2]))
        #expect(try JSONValue(encoding: Data([3])) == .binary([3]))
        #expect(try JSONValue.binary([4, 5]).decode(as: [UInt8].self) == [4, 5])
        #expect(try JSONValue.binary([6]).decode(as: Data.self) == Data([6]))
    }

    /// An empty array of any element type casts to `[UInt8]` in Swift; it must still be an array.
    @Test func emptyArraysAreArraysNotBinary() throws {
        struct Room: Encodable { var people: [String] = []; var scores: [Int] = []; var bytes: [UInt8] = [] }
        let value = try JSONValue(encoding: Room())
        #expect(value["people"] == .array([]))
        #expect(value["scores"] == .array([]))
        #expect(value["bytes"] == .binary([]))
        #expect(try JSONValue(encoding: [String]()) == .array([]))
    }

    @Test func jsonValuePassesThrough() throws {
        let value: JSONValue = ["b": 1.5, "a": .binary([1])]
        #expect(try JSONValue(encoding: value) == value)
        #expect(try value.decode(as: JSONValue.self) == value)
    }

    @Test func encodesScalarsAndArrays() throws {
        #expect(try JSONValue(encoding: 1.5).jsonString == "1.5")
        #expect(try JSONValue(encoding: "a/b").jsonString == #""a/b""#)
        #expect(try JSONValue(encoding: [1, 2, 3]).jsonString == "[1,2,3]")
        #expect(try JSONValue(encoding: Optional<Int>.none).jsonString == "null")
    }

    // MARK: Fuzz

    /// Random and mutated JSON must parse or throw, never crash; a parsed value must write out
    /// to text that parses to the same value, and writing is stable.
    @Test func fuzzParseNeverCrashesAndRoundTrips() throws {
        var random = SplitMix64(seed: 0x15_0001)
        let alphabet: [Character] = Array(#"{}[]",:0123456789-+.eEtrufalsn \"\/uD8dcé✓👋"#)
        let seeds = [
            #"{"b":1,"a":[true,null]}"#, #"["foo",{"_placeholder":true,"num":0}]"#, #"{"x":-1.50e+3,"y":"\u00e9\n"}"#,
            #""\ud83d\ude00""#, #"[[[[{"deep":[1,2,{"k":"v"}]}]]]]"#, #"{"message":"not authorized","data":{"reason":"bad token"}}"#,
        ]
        let insertions: [Character] = Array(#"-/,0123456789[]{}"\:"#)
        var inputs: [String] = (0..<5_000).map { _ in random.string(from: alphabet, maxLength: 20) }
        inputs += (0..<5_000).map { _ in random.mutate(seeds.randomElement(using: &random)!, insertions: insertions) }
        var parsedCount = 0
        for input in inputs {
            guard let value = try? JSONValue(parsing: input) else { continue }
            parsedCount += 1
            let written = value.jsonString
            let reparsed = try JSONValue(parsing: written)
            #expect(reparsed == value, "input: \(input.debugDescription)")
            #expect(reparsed.jsonString == written, "input: \(input.debugDescription)")
        }
        #expect(parsedCount > 100)
    }

    @Test func fuzzRawBytesNeverCrash() {
        var random = SplitMix64(seed: 0x15_0002)
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...16, using: &random)).map { _ in
                Bool.random(using: &random) ? UInt8.random(in: 0...255, using: &random) : Array(#"["\{}:,1"#.utf8).randomElement(using: &random)!
            }
            if let value = try? JSONValue(parsing: bytes) {
                #expect((try? JSONValue(parsing: value.jsonBytes)) == value, "bytes: \(bytes)")
            }
        }
    }
}
