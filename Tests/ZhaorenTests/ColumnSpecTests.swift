import Testing
import Zhaoren

@Suite struct ColumnSpecTests {
    @Test func simplePairs() throws {
        let spec = try ColumnSpec(parsing: "name=姓名,id=身份证号, birth = 出生日期 ")
        #expect(spec.entries.map(\.role) == ["name", "id", "birth"])
        #expect(spec.entries.map(\.headers) == [["姓名"], ["身份证号"], ["出生日期"]])
        #expect(spec.entries.map(\.fieldRole) == [.name, .id, .birth])
        #expect(spec[.id]?.headers == ["身份证号"])
    }

    @Test func multiColumnRolesJoinInOrder() throws {
        let spec = try ColumnSpec(parsing: "address=省,name=姓名,address=市,address=区")
        #expect(spec.entries.map(\.role) == ["address", "name"])
        #expect(spec["address"]?.headers == ["省", "市", "区"])
    }

    @Test func freeFormRolesAndUnderscoredRoles() throws {
        let spec = try ColumnSpec(parsing: "status=缴费状态,given_name=名,credit_code=统一社会信用代码,NAME=姓名")
        #expect(spec["status"]?.fieldRole == nil)
        #expect(spec["given_name"]?.fieldRole == .givenName)
        #expect(spec[.creditCode]?.headers == ["统一社会信用代码"])
        #expect(spec[.name]?.headers == ["姓名"])   // roles are case-insensitive
    }

    @Test func quotedHeadersMayHoldCommasEqualsAndQuotes() throws {
        let spec = try ColumnSpec(parsing: #"org_name="名称,全称",other_id="a=b",area="say ""x""""#)
        #expect(spec[.orgName]?.headers == ["名称,全称"])
        #expect(spec[.otherID]?.headers == ["a=b"])
        #expect(spec[.area]?.headers == [#"say "x""#])
    }

    @Test(arguments: [
        ("", "no ROLE=HEADER pair"),
        ("name", "\"=\" expected"),
        ("name=", "the header for role \"name\" is missing"),
        ("=姓名", "a role is missing"),
        ("name=姓名,", "a role is missing"),
        ("name=\"姓名", "a quote is not closed"),
        ("名字=姓名", "is not letters, digits and _"),
        ("name=\"a\"b", "\",\" expected"),
    ])
    func malformedSpecsAreClearErrors(_ text: String, _ expected: String) {
        do {
            _ = try ColumnSpec(parsing: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func entriesInitializerMergesRoles() {
        let spec = ColumnSpec([.init(role: "address", headers: ["省"]), .init(role: "address", headers: ["市"])])
        #expect(spec.entries == [.init(role: "address", headers: ["省", "市"])])
    }

    @Test func ambiguousHeaderIsAnError() throws {
        #expect(throws: ZhaorenError.self) {
            try ColumnSelection(spec: ColumnSpec(parsing: "name=姓名"), header: ["姓名", "姓名"], source: "x.csv")
        }
        let byPosition = try ColumnSelection(spec: ColumnSpec(parsing: "name=#2"), header: ["姓名", "姓名"], source: "x.csv")
        #expect(byPosition.columns == [[1]])
    }
}
