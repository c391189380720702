import Testing
import Zhaoren
import ZhaorenSupport

/// One normalizer for the whole suite: construction runs ICU once.
let sharedNames: NameNormalizer = {
    do { return try NameNormalizer() } catch { fatalError("ICU: \(error)") }
}()

@Suite struct NameNormalizerTests {
    let names = sharedNames

    // MARK: traditional → simplified, exceptions and variants (domain-china.md §5.2, §5.3)

    @Test func traditionalIsSimplified() {
        #expect(names.normalize("張偉").folded == "张伟")
        #expect(names.normalize("陳國榮").folded == "陈国荣")
        #expect(names.normalize("鍾漢良").folded == "钟汉良")
        #expect(names.normalize("蕭敬騰").folded == "萧敬腾")
        #expect(names.normalize("閆妮").folded == "闫妮")
        #expect(names.normalize("閻錫山").folded == "阎锡山")
        #expect(names.normalize("張偉").flags.contains(.simplified))
        #expect(!names.normalize("张伟").flags.contains(.simplified))
    }

    @Test func qianlongKeepsQian() {
        #expect(names.normalize("乾隆").folded == "乾隆")
    }

    @Test func liShengKeepsSheng() {
        #expect(names.normalize("李昇").folded == "李昇")
    }

    @Test func yuDanKeepsYu() {
        let p = names.normalize("於丹")
        #expect(p.folded == "於丹")
        #expect(p.surname == "於")
    }

    @Test func standaloneNameCharactersAreKept() {
        #expect(names.normalize("张喆").folded == "张喆")
        #expect(names.normalize("李堃").folded == "李堃")
        #expect(names.normalize("甯静").folded == "甯静")
    }

    @Test func variantFengIsFolded() {
        #expect(names.normalize("王峯").folded == "王峰")
        #expect(names.normalize("李羣").folded == "李群")
    }

    @Test func variantWeiIsFolded() {
        #expect(names.normalize("衞东").folded == "卫东")
        #expect(names.normalize("衛东").folded == "卫东")
    }

    @Test func neverSimplifiedToTraditional() {
        #expect(names.normalize("于丹").folded == "于丹")
        #expect(names.normalize("范冰冰").folded == "范冰冰")
        #expect(names.normalize("余华").folded == "余华")
    }

    // MARK: separators, spaces and width (§5.5, §5.6)

    @Test(arguments: ["·", "・", "･", ".", "．", "﹒", "\u{0387}", "•", "‧", "⋅", "∙", "⸱", "。"])
    func everyDotFoldsToMiddleDot(dot: String) {
        let p = names.normalize("买买提\(dot)吐尔逊")
        #expect(p.folded == "买买提·吐尔逊")
        #expect(p.flags.contains(.separated))
        #expect(p.givenName == "买买提")
        #expect(p.surname == "吐尔逊")
        #expect(p.pinyin == "maimaitituerxun")
    }

    @Test func strayAndRepeatedDotsAreCleaned() {
        #expect(names.normalize("·买买提··吐尔逊·").folded == "买买提·吐尔逊")
        #expect(names.normalize("买买提 · 吐尔逊").folded == "买买提·吐尔逊")
        #expect(names.normalize("·买买提··吐尔逊·").flags.contains(.separatorFixed))
    }

    @Test func ideographicSpaceIsRemoved() {
        let p = names.normalize("\u{3000}张\u{3000}伟 ")
        #expect(p.folded == "张伟")
        #expect(p.flags.contains(.whitespaceRemoved))
        #expect(names.normalize("张\u{00A0}伟\t").folded == "张伟")
    }

    @Test func fullWidthLettersAreFolded() {
        let p = names.normalize("ＡＢＣ李")
        #expect(p.folded == "abc李")
        #expect(p.script == .mixed)
        #expect(p.flags.contains(.widthFolded))
        #expect(names.normalize("ＪＯＨＮ　ＳＭＩＴＨ").folded == "john smith")
    }

    @Test func compatibilityIdeographIsUnified() {
        // U+F9A8 is a CJK compatibility ideograph for 令; NFKC gives U+4EE4.
        #expect(names.normalize("\u{F9A8}狐冲").folded == "令狐冲")
    }

    // MARK: surname split (§5.7)

    @Test func ouyangNanaSplitsCompound() {
        let p = names.normalize("欧阳娜娜")
        #expect(p.surname == "欧阳")
        #expect(p.givenName == "娜娜")
        #expect(p.surnameLength == 2)
        #expect(p.flags.contains(.compoundSurname))
        #expect(names.normalize("歐陽娜娜").surname == "欧阳")
    }

    @Test func zhugeLiang() {
        let p = names.normalize("诸葛亮")
        #expect(p.surname == "诸葛")
        #expect(p.givenName == "亮")
        #expect(p.pinyin == "zhugeliang")
    }

    @Test func singleSurnameFallback() {
        let p = names.normalize("张伟")
        #expect(p.surname == "张")
        #expect(p.givenName == "伟")
        #expect(p.surnameLength == 1)
        // Two characters that spell a compound surname are a single surname + given name.
        #expect(names.normalize("欧阳").surname == "欧")
        let one = names.normalize("伟")
        #expect(one.surname == "")
        #expect(one.givenName == "伟")
    }

    @Test func marriedPrefix() {
        let p = names.normalize("陈张美玲")
        #expect(names.withoutMarriedPrefix(p)?.folded == "张美玲")
        #expect(names.withoutMarriedPrefix(names.normalize("林鄭月娥"))?.folded == "郑月娥")
        #expect(names.withoutMarriedPrefix(names.normalize("欧阳娜娜")) == nil)
        #expect(names.withoutMarriedPrefix(names.normalize("张美玲")) == nil)
    }

    @Test func confusableSurnamesAreWeakNotFolded() {
        #expect(NameNormalizer.confusableSurnames("萧", "肖"))
        #expect(NameNormalizer.confusableSurnames("肖", "萧"))
        #expect(NameNormalizer.confusableSurnames("闫", "阎"))
        #expect(NameNormalizer.confusableSurnames("於", "于"))
        #expect(!NameNormalizer.confusableSurnames("张", "章"))
        #expect(!NameNormalizer.confusableSurnames("萧", "萧"))
        #expect(names.normalize("萧敬腾").folded != names.normalize("肖敬腾").folded)
    }

    // MARK: rare and private-use characters (§5.9)

    @Test func extensionCharactersAreKeptVerbatim() {
        let a = names.normalize("刘䶮")
        #expect(a.folded == "刘䶮")
        #expect(a.script == .han)
        #expect(a.pinyin == "liuyan")
        let b = names.normalize("王𠀀")
        #expect(b.folded == "王𠀀")
        #expect(b.surname == "王")
        #expect(b.givenName == "𠀀")
        #expect(b.pinyin == "wang𠀀")
        #expect(b.flags.contains(.unreadable))
    }

    @Test func unifiedCompatibilityIdeographIsHan() {
        // U+FA11 﨑 is a unified ideograph in the compatibility block: NFKC keeps it.
        let p = names.normalize("\u{FA11}山")
        #expect(p.script == .han)
        #expect(p.surname == "\u{FA11}")
    }

    @Test func privateUseIsKeptAndFlagged() {
        let p = names.normalize("张\u{E000}")
        #expect(p.folded == "张\u{E000}")
        #expect(p.flags.contains(.privateUse))
        #expect(p.script == .han)
        #expect(!names.normalize("张伟").flags.contains(.privateUse))
    }

    @Test func emptyInput() {
        for raw in ["", "   ", "\u{3000}", "··", " . "] {
            let p = names.normalize(raw)
            #expect(p.script == .empty)
            #expect(p.folded == "")
            #expect(p.pinyin == "")
            #expect(p.pinyinKey == 0)
            #expect(p.fuzzyKey == 0)
            #expect(p.original == raw)
        }
    }

    // MARK: Latin-script names

    @Test func latinNames() {
        let a = names.normalize("Mary-Ann O'Neil")
        #expect(a.script == .latin)
        #expect(a.tokens == ["mary", "ann", "oneil"])
        #expect(a.folded == "mary ann oneil")
        #expect(a.surname == "oneil")
        #expect(a.givenName == "mary ann")
        let b = names.normalize("JOHN  SMITH")
        #expect(b.folded == "john smith")
        #expect(b.flags.contains(.whitespaceRemoved))
        #expect(b.sortedTokens == names.normalize("Smith John").sortedTokens)
        let c = names.normalize("José Núñez")
        #expect(c.tokens == ["jose", "nunez"])
        #expect(c.flags.contains(.asciiFolded))
        #expect(names.normalize("Jose\u{0301} Nu\u{0303}n\u{0303}ez").folded == "jose nunez")
        let d = names.normalize("SMITH, John")
        #expect(d.surname == "smith")
        #expect(d.givenName == "john")
        #expect(names.normalize("Zhang Wei").pinyinKey == names.normalize("张伟").pinyinKey)
    }

    // MARK: batch

    @Test func batchEqualsSingle() {
        var rng = SeededGenerator(seed: 7)
        let pool = ["张伟", "歐陽娜娜", "买买提・吐尔逊", "John Smith", "", "单田芳", "王峯", "刘䶮", "陈张美玲"]
        let values = (0..<10_000).map { _ in pool[Int(rng.next() % UInt64(pool.count))] + (rng.next() % 3 == 0 ? "伟" : "") }
        let batch = names.normalize(values)
        #expect(batch.count == values.count)
        for i in stride(from: 0, to: values.count, by: 97) {
            #expect(batch[i] == names.normalize(values[i]))
        }
    }
}

@Suite struct NameColumnTests {
    @Test func internsInFirstOccurrenceOrder() {
        let column = NameColumn(["张伟", "王芳", "张伟", "", "王芳", "張偉"], normalizer: sharedNames)
        #expect(column.ids == [0, 1, 0, 2, 1, 3])
        #expect(column.names.map(\.original) == ["张伟", "王芳", "", "張偉"])
        #expect(column.names[3].folded == "张伟")
    }

    @Test func largeColumnMatchesDirectNormalization() {
        var rng = SeededGenerator(seed: 11)
        let chars = Array("王李张刘陈杨黄伟芳娜敏静丽强磊")
        let values = (0..<50_000).map { _ in
            String((0..<(2 + Int(rng.next() % 2))).map { _ in chars[Int(rng.next() % UInt64(chars.count))] })
        }
        let column = NameColumn(values, normalizer: sharedNames)
        #expect(column.ids.count == values.count)
        #expect(Set(values).count == column.names.count)
        for i in stride(from: 0, to: values.count, by: 101) {
            #expect(column.names[Int(column.ids[i])].original == values[i])
        }
    }
}

