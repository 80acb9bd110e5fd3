import Foundation
@testable import MeetTUI
import Testing

/// `~/.config/meet/config.toml`: the subset of TOML it uses, and errors that say file and line.
@Suite struct MeetConfigTests {
    func parseError(_ text: String, source: String = "config.toml") -> String? {
        let error = #expect(throws: ConfigError.self) { try MeetConfig.parse(text, source: source) }
        return error?.description
    }

    @Test func parsesEverySetting() throws {
        let text = """
            # meet configuration
            server = "http://localhost:3002"
            token_file = "~/.config/meet/token"   # where `meetings-server token` wrote it

            ascii = true
            color = false
            bell = false
            """
        let config = try MeetConfig.parse(text)
        #expect(config.servers == ["http://localhost:3002"])
        #expect(config.tokenFile == "~/.config/meet/token")
        #expect(config.ascii == true)
        #expect(config.color == false)
        #expect(config.bell == false)
    }

    @Test func unsetSettingsStayUnset() throws {
        let config = try MeetConfig.parse("server = \"http://a:3002\"")
        #expect(config.tokenFile == nil)
        #expect(config.ascii == nil)
        #expect(config.color == nil)
        #expect(config.bell == nil)
    }

    @Test func anEmptyFileIsTheDefault() throws {
        #expect(try MeetConfig.parse("") == MeetConfig())
        #expect(try MeetConfig.parse("\n\n# only comments\n   # indented\n") == MeetConfig())
    }

    @Test func serversIsAList() throws {
        let config = try MeetConfig.parse(#"servers = ["http://a:3002", "http://b:3002"]"#)
        #expect(config.servers == ["http://a:3002", "http://b:3002"])
        let tight = try MeetConfig.parse(#"servers=["http://a:3002","http://b:3002",]"#)
        #expect(tight.servers == ["http://a:3002", "http://b:3002"])
        let empty = try MeetConfig.parse("servers = []")
        #expect(empty.servers == [])
    }

    @Test func theLastServerSettingWins() throws {
        let config = try MeetConfig.parse("""
            servers = ["http://a:3002", "http://b:3002"]
            server = "http://c:3002"
            """)
        #expect(config.servers == ["http://c:3002"])
    }

    @Test func colourIsAlsoSpelledTheBritishWay() throws {
        let config = try MeetConfig.parse("colour = false")
        #expect(config.color == false)
    }

    @Test func commentsAndSections() throws {
        let config = try MeetConfig.parse("""
            [meet]
            server = "http://example.com/#not-a-comment"  # a comment
            bell = true# right after the value
              ascii = false
            """)
        #expect(config.servers == ["http://example.com/#not-a-comment"])
        #expect(config.bell == true)
        #expect(config.ascii == false)
    }

    @Test func anUnknownKeyIsRefused() {
        let text = """
            server = "http://localhost:3002"
            volume = 30
            """
        #expect(parseError(text, source: "/home/ada/.config/meet/config.toml")
            == "/home/ada/.config/meet/config.toml:2: unknown setting 'volume' (known: server, servers, token_file, ascii, color, bell, announce, announce_file, log, hooks, keys, meeting)")
    }

    @Test func badValuesAreRefusedWithFileAndLine() {
        #expect(parseError("ascii = yes") == "config.toml:1: ascii must be true or false")
        #expect(parseError("# colours\n\ncolor = \"true\"") == "config.toml:3: color must be true or false")
        #expect(parseError("bell = 1") == "config.toml:1: bell must be true or false")
        #expect(parseError("server = http://localhost:3002") == "config.toml:1: server must be a quoted string")
        #expect(parseError("token_file = \"~/token") == "config.toml:1: token_file must be a quoted string")
        #expect(parseError("servers = \"http://a:3002\"") == "config.toml:1: servers must be a list of strings")
        #expect(parseError("\n\n\njust some words", source: "meet.toml") == "meet.toml:4: expected `key = value`, got `just some words`")
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meet-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let missing = directory.appendingPathComponent("missing.toml").path
        #expect(try MeetConfig.load(path: missing) == MeetConfig())

        let good = directory.appendingPathComponent("good.toml")
        try "server = \"http://localhost:3002\"\nbell = false\n".write(to: good, atomically: true, encoding: .utf8)
        let config = try MeetConfig.load(path: good.path)
        #expect(config.servers == ["http://localhost:3002"])
        #expect(config.bell == false)

        let bad = directory.appendingPathComponent("bad.toml")
        try "server = \"http://localhost:3002\"\nascii = maybe\n".write(to: bad, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try MeetConfig.load(path: bad.path) }
        #expect(error?.description == "\(bad.path):2: ascii must be true or false")
    }

    @Test func theDefaultPath() {
        #expect(MeetConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/xdg", "HOME": "/home/ada"]) == "/xdg/meet/config.toml")
        #expect(MeetConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/ada"]) == "/home/ada/.config/meet/config.toml")
        #expect(MeetConfig.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.config/meet/config.toml")
        #expect(MeetConfig.defaultPath(environment: [:]) == "~/.config/meet/config.toml")
    }
}
