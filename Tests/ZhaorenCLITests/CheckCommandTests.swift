import Foundation
import Testing
import ZhaorenTestSupport

@Suite struct CheckCommandTests {
    @Test func residentIDRowsInInputOrder() throws {
        let input = "11010519491231002x\n330102200403064\r\n1.10105E+17\n\n111111111111111\n932682198501010017\n110105209901011234\n"
        let result = try CLIRunner.run(["check", "resident-id", "--as-of", "2026-11-23"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false) == [
            "input,valid,normalized,birth_date,sex,region_code,issues",
            "11010519491231002x,true,11010519491231002X,1949-12-31,F,110105,lowercase_x",
            "330102200403064,true,33010219200403064X,1920-04-03,F,330102,legacy_15;possibly_truncated",
            "1.10105E+17,false,,,,,excel_mangled",
            ",false,,,,,bad_length",
            "111111111111111,true,111111191111111113,1911-11-11,M,111111,legacy_15;unknown_region",
            "932682198501010017,true,932682198501010017,1985-01-01,M,,foreign_permanent",
            "110105209901011234,false,,2099-01-01,M,110105,future_date",
            "",
        ])
    }

    @Test func creditCodesWithQuoting() throws {
        let input = "91350100M000100Y43\n91350100M0001TGQXM\n350100M000100Y4\n\"9135,x\"\n"
        let result = try CLIRunner.run(["check", "credit-code"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout == """
            input,valid,normalized,org_code,issues
            91350100M000100Y43,true,91350100M000100Y43,M000100Y4,
            91350100M0001TGQXM,true,91350100M0001TGQXM,M0001TGQX,pilot_code
            350100M000100Y4,true,350100M000100Y4,M000100Y4,legacy_taxpayer_id
            \"\"\"9135,x\"\"\",false,,,bad_length;bad_character;lowercase

            """)
    }

    @Test func phonesFromAGB18030File() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(dir) }
        let file = dir.appendingPathComponent("phones.txt")
        // "+86 138 0013 8000", "020-9999999", "电话" (GB18030 D3EB BBB0 is not UTF-8), "400-810-8888"
        var bytes = Array("+86 138 0013 8000\r\n020-9999999\r\n".utf8)
        bytes += [0xB5, 0xE7, 0xBB, 0xB0] + Array("\r\n400-810-8888\r\n".utf8)
        try Data(bytes).write(to: file)
        let result = try CLIRunner.run(["check", "phone", file.path])
        #expect(result.status == 0)
        #expect(result.stdout == """
            input,valid,normalized,kind,issues
            +86 138 0013 8000,true,13800138000,mobile,country_code;separators
            020-9999999,false,,landline,bad_length;separators
            电话,false,,unknown,bad_length;bad_character
            400-810-8888,true,4008108888,service,separators

            """)
    }

    @Test func utf8BOMAndCRLF() throws {
        let result = try CLIRunner.run(["check", "phone"], stdin: "\u{FEFF}13800138000\r\n14012345678\r\n")
        #expect(result.stdout == """
            input,valid,normalized,kind,issues
            13800138000,true,13800138000,mobile,
            14012345678,false,,mobile,unassigned_block

            """)
    }

    @Test func missingFileFailsWithMessage() throws {
        let result = try CLIRunner.run(["check", "phone", "/no/such/file.txt"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/no/such/file.txt"))
        #expect(result.stdout.isEmpty)
    }

    @Test func undecodableInputFailsWithLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { Scratch.remove(dir) }
        let file = dir.appendingPathComponent("bad.txt")
        try Data([0x31, 0x0A, 0x80, 0x0A]).write(to: file)   // lone 0x80 is neither UTF-8 nor GB18030
        let result = try CLIRunner.run(["check", "resident-id", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.txt:2"))
    }

    @Test func unknownKindIsAUsageError() throws {
        let result = try CLIRunner.run(["check", "passport"])
        #expect(result.status == 64)
    }
}
