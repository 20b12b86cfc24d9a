// Package fairness is the employment-discrimination (就业歧视) checker for gig postings.
//
// It finds the phrases of a posting that limit who may apply in a way the Employment Promotion
// Law (就业促进法) and related rules forbid: age, sex, native place, ethnicity, marriage,
// pregnancy and children, hukou and health. It looks for LIMITS ("限男性", "45岁以下",
// "河南人勿扰", "本地户口"), not for neutral words: "男女不限", "欢迎50岁以上", "女厕所保洁",
// "照顾80岁老人" and "3:30后收工" pass.
//
// Posters evade keyword lists with full-width characters, zero-width and bidi control
// characters, spaces or punctuation between the characters, Chinese numerals and traditional
// characters, so each text is normalised first (see normalize) and the rules run on the
// normalised text. Every normalised rune remembers the bytes of the original text it came from,
// so the reported Phrase is always a substring of what the employer typed: reviewers find it
// in the original by substring search.
//
// The package has no state and is safe for concurrent use.
package fairness

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Flag is a phrase of a posting that limits who may apply in a way the Employment Promotion Law forbids.
type Flag struct {
	Phrase string `json:"phrase"` // a substring of the original text
	Kind   string `json:"kind"`   // age, sex, region, ethnicity, marriage, pregnancy, hukou, health
}

// Check finds every discriminatory phrase in the texts (say the title and the description of a
// posting), each phrase once, in order of appearance across the texts in the order given.
func Check(texts ...string) []Flag {
	var out []Flag
	seen := make(map[string]bool)
	for _, text := range texts {
		for _, f := range checkText(text) {
			if !seen[f.Phrase] {
				seen[f.Phrase] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// hit is a rule's match in the normalised text.
type hit struct {
	lo, hi   int // the match
	plo, phi int // the phrase reported, within the match
	kind     string
}

// checkText runs every rule over one normalised text and keeps the hits that do not overlap an
// earlier (or, at the same place, longer) hit, in order of appearance.
func checkText(text string) []Flag {
	if text == "" {
		return nil
	}
	n := normalize(text)
	clauses := n.clauses()
	var hits []hit
	for ri := range rules {
		ru := &rules[ri]
		if ru.need == nil {
			hits = ru.scan(n, 0, len(n.s), hits)
			continue
		}
		if ru.re == decadesRE {
			if containsAny(n.s, ru.need) {
				hits = ru.scan(n, 0, len(n.s), hits)
			}
			continue
		}
		for _, c := range clauses {
			if containsAny(n.s[c[0]:c[1]], ru.need) {
				hits = ru.scan(n, c[0], c[1], hits)
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].lo != hits[j].lo {
			return hits[i].lo < hits[j].lo
		}
		return hits[i].hi > hits[j].hi
	})
	var out []Flag
	end := -1
	for _, h := range hits {
		if h.lo < end {
			continue
		}
		end = h.hi
		out = append(out, Flag{Phrase: n.original(h.plo, h.phi), Kind: h.kind})
	}
	return out
}

// scan appends the rule's hits in n.s[from:to].
func (ru *rule) scan(n *normalized, from, to int, hits []hit) []hit {
	for pos := from; pos < to; {
		loc := ru.re.FindStringSubmatchIndex(n.s[pos:to])
		if loc == nil {
			break
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		m := &match{s: n.s, loc: loc, re: ru.re}
		if loc[1] > loc[0] && accept(ru, m) {
			if !welcomed(n.s, loc[0], loc[1], ru.kind) {
				plo, phi := m.phrase()
				hits = append(hits, hit{loc[0], loc[1], plo, phi, ru.kind})
			}
			// Hit or welcomed ("不限已婚未婚": the whole list), go on after it.
			pos = loc[1]
			continue
		}
		// Not a limit (or empty): look again one rune later, so that a vetoed "限男女" does
		// not hide a "限女性" that overlaps it.
		_, size := utf8.DecodeRuneInString(n.s[loc[0]:])
		pos = loc[0] + max(size, 1)
	}
	return hits
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------------------------
// Normalisation

// item is one rune of the normalised text and the bytes [lo, hi) of the original it came from.
type item struct {
	r      rune
	lo, hi int
}

// normalized is a text after normalize, with the way back to the original.
type normalized struct {
	orig  string
	s     string // the normalised text the rules run on
	items []item // one per rune of s
	at    []int  // at[b] is the index in items of the rune that holds byte b of s
}

// clauses returns the [start, end) of each clause of s, the runs between ','.
func (n *normalized) clauses() [][2]int {
	var cs [][2]int
	start := 0
	for i := 0; i <= len(n.s); i++ {
		if i == len(n.s) || n.s[i] == ',' {
			if i > start {
				cs = append(cs, [2]int{start, i})
			}
			start = i + 1
		}
	}
	return cs
}

// original returns the original substring behind s[lo:hi].
func (n *normalized) original(lo, hi int) string {
	first, last := n.items[n.at[lo]], n.items[n.at[hi-1]]
	return n.orig[first.lo:last.hi]
}

// normalize turns text into the form the rules are written for:
//
//   - NFKC: full-width letters, digits and punctuation become ASCII, the ideographic space a
//     space, Kangxi radicals (⼥) and compatibility ideographs the ordinary ideographs;
//   - invisible characters go: zero-width (U+200B..U+200D, U+2060, U+FEFF), bidi controls
//     (U+202A..U+202E, U+2066..U+2069), other format and control characters, combining marks
//     and variation selectors, Hangul fillers;
//   - ASCII letters are lower-cased, dashes become '-', traditional characters that matter here
//     become simplified (僅限→仅限, 戶口→户口, 歲→岁, 後→后 ...);
//   - spaces are dropped, except one between two ASCII letters or digits ("hiv test", "200 300");
//   - punctuation and symbols between two CJK characters are folded ("限-男-性", "限*男*性",
//     "(限男性)"). Clause punctuation (，。；！？ and line breaks) is kept as ',' because it ends
//     a clause, and a colon as ':' ("户籍：本地"), unless they isolate single characters
//     ("限，男，性", "性别：男");
//   - Chinese numerals of two or more characters become digits (四十五→45, 九零后→90后).
func normalize(text string) *normalized {
	items := make([]item, 0, len(text)/2)
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	for !it.Done() {
		lo := it.Pos()
		seg := it.Next()
		hi := it.Pos()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r = mapRune(r); r >= 0 {
				items = append(items, item{r, lo, hi})
			}
		}
	}
	items = foldSpaces(items)
	items = foldPunctuation(items)
	items = convertNumerals(items)

	n := &normalized{orig: text, items: items, at: make([]int, 0, len(items)*3+1)}
	var b strings.Builder
	b.Grow(len(items) * 3)
	for i, it := range items {
		b.WriteRune(it.r)
		for len(n.at) < b.Len() {
			n.at = append(n.at, i)
		}
	}
	n.s = b.String()
	n.at = append(n.at, len(items))
	return n
}

// mapRune maps one NFKC rune: -1 drops it, '\n' is a line break, ' ' any other space.
func mapRune(r rune) rune {
	switch {
	case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
		return '\n'
	case unicode.IsSpace(r) || r == '\u2800':
		return ' '
	case r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0':
		return -1 // Hangul fillers: invisible letters
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Mn, unicode.Me):
		return -1 // zero-width, bidi, other format and control characters, combining marks
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A'
	}
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '⁃':
		return '-'
	case '〜', '∼', '⁓':
		return '~'
	case '≦':
		return '≤'
	case '≧':
		return '≥'
	}
	if s, ok := simplified[r]; ok {
		return s
	}
	return r
}

// simplified maps the traditional (and a few variant) characters of the words the rules look
// for to their simplified forms. It is not a general converter: only the characters of limits,
// place names, kinship and the words around them.
var simplified = func() map[rune]rune {
	const pairs = "僅仅們们婦妇戶户戸户別别齡龄歲岁歳岁嵗岁擾扰優优錄录離离後后兩两滿满內内過过" +
		"歡欢請请謝谢絕绝漢汉數数維维壯壮鮮鲜異异懷怀產产週周輕轻體体檢检傳传愛爱攜携帶带" +
		"當当東东廣广貴贵陝陕遼辽寧宁龍龙蘇苏閩闽臺台灣湾雲云門门華华肅肃瀋沈陽阳長长鄭郑" +
		"濟济廈厦蕪芜馬马銅铜慶庆黃黄魯鲁贛赣粵粤瓊琼隴陇晉晋貫贯鄉乡農农鎮镇證证須须應应" +
		"畢毕業业僱雇聽听話话對对視视於于個个來来這这種种點点時时間间會会與与從从開开單单" +
		"親亲殘残結结寶宝媽妈員员強强區区縣县邊边裡里裏里麼么勞劳動动務务遠远見见徵征無无" +
		"祇只衹只隻只專专經经驗验歷历學学齊齐紀纪聯联號号職职錢钱價价資资爺爷歸归屬属總总" +
		"計计說说調调嬰婴兒儿孫孙喪丧幹干頭头傭佣護护險险衛卫廁厕裝装場场廠厂倉仓貨货運运" +
		"車车駕驾廳厅飯饭館馆樓楼層层費费準准許许條条夠够據据級级選选擇择績绩讓让處处認认" +
		"識识將将為为並并則则該该還还達达適适極极額额權权氣气狀状況况擔担憑凭獲获責责貼贴" +
		"補补講讲論论決决壞坏懶懒滬沪錫锡倫伦溫温際际濱滨蘭兰臨临潁颍舊旧節节觀观義义雙双" +
		"幾几萬万醫医療疗藥药聾聋啞哑備备貳贰陸陆夥伙齒齿嬤嬷"
	m := make(map[rune]rune)
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}()

func isHan(r rune) bool   { return unicode.Is(unicode.Han, r) }
func isDigit(r rune) bool { return '0' <= r && r <= '9' }
func isAlnum(r rune) bool { return isDigit(r) || 'a' <= r && r <= 'z' }

// isClause reports the punctuation that ends a clause. '.' is also a decimal point; between
// two digits it stays a '.'.
func isClause(r rune) bool {
	switch r {
	case ',', ';', '!', '?', '.', '。', '\n':
		return true
	}
	return false
}

// foldSpaces drops spaces, keeping one between two ASCII letters or digits. Between two lone
// digits ("4 5岁") the space goes too.
func foldSpaces(items []item) []item {
	out := make([]item, 0, len(items))
	for i := 0; i < len(items); i++ {
		if items[i].r != ' ' {
			out = append(out, items[i])
			continue
		}
		j := i
		for j < len(items) && items[j].r == ' ' {
			j++
		}
		if len(out) > 0 && j < len(items) {
			l, r := out[len(out)-1].r, items[j].r
			loneL := isDigit(l) && (len(out) < 2 || !isDigit(out[len(out)-2].r))
			loneR := isDigit(r) && (j+1 >= len(items) || !isDigit(items[j+1].r))
			if isAlnum(l) && isAlnum(r) && !(loneL && loneR) {
				out = append(out, item{' ', items[i].lo, items[j-1].hi})
			}
		}
		i = j - 1
	}
	return out
}

// foldPunctuation deals with runs of punctuation and symbols (anything that is neither a CJK
// character, an ASCII letter or digit nor a kept space).
func foldPunctuation(items []item) []item {
	out := make([]item, 0, len(items))
	sep := func(r rune) bool { return !isHan(r) && !isAlnum(r) && r != ' ' }
	for i := 0; i < len(items); i++ {
		if !sep(items[i].r) {
			out = append(out, items[i])
			continue
		}
		j := i
		clause, colon := -1, -1
		for j < len(items) && sep(items[j].r) {
			if clause < 0 && isClause(items[j].r) {
				clause = j
			}
			if colon < 0 && items[j].r == ':' {
				colon = j
			}
			j++
		}
		run := items[i:j]
		lHan := i > 0 && isHan(items[i-1].r)
		rHan := j < len(items) && isHan(items[j].r)
		switch {
		case lHan && rHan && isNumeralRune(items[i-1].r) && isNumeralRune(items[j].r):
			// Between two numerals ("十八-四十五", "八零、九零后"): keep the range or list.
			for _, it := range run {
				if isClause(it.r) {
					it.r = ','
				}
				out = append(out, it)
			}
		case lHan && rHan && clause < 0 && colon < 0:
			// Decoration between characters: "限-男-性", "限*男*性", "本·地·人".
		case lHan && rHan && sexClause(items, i-1, j):
			// "招司机，男，本地人": a clause of its own that says 男 or 女 is kept one.
			if clause >= 0 {
				it := items[clause]
				it.r = ','
				out = append(out, it)
			} else {
				out = append(out, items[colon])
			}
		case lHan && rHan && (lone(items, i-1, -1) || lone(items, j, +1)):
			// Clause punctuation or a colon isolating single characters: "限，男，性",
			// "性别：男".
		case lHan && rHan && clause >= 0:
			it := items[clause]
			it.r = ','
			out = append(out, it)
		case lHan && rHan:
			// A label and its value: "户籍：本地", "要求：男性".
			out = append(out, items[colon])
		default:
			for _, it := range run {
				if isClause(it.r) {
					between := len(run) == 1 && i > 0 && j < len(items) && isDigit(items[i-1].r) && isDigit(items[j].r)
					if !(it.r == '.' && between) {
						it.r = ','
					}
				}
				out = append(out, it)
			}
		}
		i = j - 1
	}
	return out
}

// sexClause reports whether the punctuation between items[l] and items[r] sets off a lone 男 or
// 女 from a clause of two or more characters on the other side ("招司机，男，本地人"), rather
// than splitting a word ("限，男，性", "男，女").
func sexClause(items []item, l, r int) bool {
	isSex := func(r rune) bool { return r == '男' || r == '女' }
	switch {
	case lone(items, l, -1) && isSex(items[l].r):
		return !lone(items, r, +1) && !isSex(items[r].r)
	case lone(items, r, +1) && isSex(items[r].r):
		return !lone(items, l, -1) && !isSex(items[l].r)
	}
	return false
}

// lone reports whether items[k] is a CJK character standing alone between punctuation (or the
// end of the text), looking on from k in direction dir: the 男 of "限，男，性", not the 名 of "2名，".
func lone(items []item, k, dir int) bool {
	k += dir
	return k < 0 || k >= len(items) || !isHan(items[k].r) && !isAlnum(items[k].r)
}

// numeral holds the value of the Chinese numeral characters (10 for 十), the financial forms
// (壹贰叁, 拾) included.
var numeral = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '贰': 2, '两': 2, '三': 3, '叁': 3, '四': 4, '肆': 4,
	'五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9,
	'十': 10, '拾': 10,
}

func isNumeralRune(r rune) bool { _, ok := numeral[r]; return ok }

// convertNumerals replaces runs of two or more Chinese numeral characters that make a number
// ("十五", "四十五", "二十", "九零", "八五") by its digits. Every digit keeps the span of the
// whole numeral, so a phrase that starts or ends with it reports the whole numeral.
// A lone character ("零工", "十分", "一律") is left alone.
func convertNumerals(items []item) []item {
	out := make([]item, 0, len(items))
	for i := 0; i < len(items); i++ {
		j := i
		for j < len(items) && isNumeralRune(items[j].r) {
			j++
		}
		if j-i < 2 {
			out = append(out, items[i])
			continue
		}
		rs := make([]rune, 0, j-i)
		for _, it := range items[i:j] {
			rs = append(rs, it.r)
		}
		digits, ok := parseNumeral(rs)
		if !ok {
			out = append(out, items[i:j]...)
		} else {
			for _, d := range digits {
				out = append(out, item{d, items[i].lo, items[j-1].hi})
			}
		}
		i = j - 1
	}
	return out
}

// parseNumeral reads "四十五" (45), "十五" (15), "二十" (20), or digit by digit "九零" (90).
func parseNumeral(rs []rune) (string, bool) {
	ten := -1
	for i, r := range rs {
		if numeral[r] == 10 {
			if ten >= 0 {
				return "", false
			}
			ten = i
		}
	}
	if ten < 0 {
		var b strings.Builder
		for _, r := range rs {
			b.WriteByte(byte('0' + numeral[r]))
		}
		return b.String(), true
	}
	before, after := rs[:ten], rs[ten+1:]
	if len(before) > 1 || len(after) > 1 {
		return "", false
	}
	tens, ones := 1, 0
	if len(before) == 1 {
		if tens = numeral[before[0]]; tens == 0 {
			return "", false
		}
	}
	if len(after) == 1 {
		if ones = numeral[after[0]]; ones == 0 {
			return "", false
		}
	}
	return strconv.Itoa(tens*10 + ones), true
}

// ---------------------------------------------------------------------------------------------
// Rules

// The vocabulary the rules are written with. {NAME} in a rule pattern is replaced by these.
var vocabulary = map[string]string{
	// A limit put before who is wanted: 限男性, 只招合肥人, 要求本地人, 最好是女的.
	"LIMIT": `(?:只招收|只招|只要|只收|只限|只|仅限于|仅限|仅招|仅收|仅|限招|限于|限|要求是|要求|需要|必须是|必须|须|需|最好是|最好)(?::)?`,
	// A refusal put before who is not wanted: 不招河南人, 谢绝外地人, 不要女工.
	"REJPRE": `(?:` + strings.Join(rejectBefore, "|") + `)(?::)?`,
	// A refusal put after who is not wanted: 女的勿扰, 河南人免谈, 孕妇不要.
	"REJ": `(?P<rej>(?:一律|一概|都|概|均|统统)?(?:` + strings.Join(rejectAfter, "|") + `))`,
	// A preference: 男性优先, 本地人为主.
	"PREF": `(?:` + strings.Join(preference, "|") + `)`,
	// Who, by sex: 男, 女性, 男士, 女工, 女的, 妇女 ...
	"SEX": `(?P<sx>妇女|男|女)(?:性|士|工|生|的|人|同志|同胞|孩子|孩|员工|职工|师傅)?`,
	// Where from: a province, region or city, 外地/本地, or any "XX省/市/县".
	"PLACE": `(?P<x>非?(?:` + placeNames + `)(?:省|市|县|区|地区)?|非?(?:` + strings.Join(homeWords, "|") + `)|\p{Han}{2,3}?(?:省|市|县))`,
	// ... and as what: 人, 籍, 人员, 老乡.
	"PSFX": `(?P<ps>籍人员|籍人士|籍的|籍|的人|人员|人士|人|老乡|佬|的)?`,
	// Age numbers.
	"AGEWHO":  `(?P<a>年龄|年纪|岁数)`,
	"AGEVERB": `(?:要求|限制|限|须|需|必须|最好|控制)?(?:在|为|是|:)?`,
	// Ethnic groups.
	"ETH": `(?:少数民族|非汉族|维吾尔族|维族|穆斯林|(?:` + ethnicGroups + `)族)`,
	// Pregnancy and nursing.
	"PREG": `(?:孕产期|孕妇|孕期|有孕|怀孕|哺乳期|备孕)`,
	// Where a hukou is from.
	"HX": `(?P<hx>本地|本市|本省|本县|本区|当地|城镇|农村|非农业|非农|农业|城市|外地|外省|外市|外县|(?:` + placeNames + `)(?:省|市|县|区)?)`,
}

// The words of refusal and preference; they are also the anchors of the rules that use them.
var (
	rejectBefore = []string{"不要", "不招", "不收", "不用", "不录用", "不录取", "不聘用", "不聘", "不接受", "不考虑", "不欢迎",
		"谢绝", "拒绝", "拒收", "拒招", "婉拒"}
	// The last group (不要 ... 不用) also starts ordinary sentences ("女工不用上夜班"), so they
	// only count at the end of a clause; see hardReject.
	rejectAfter = []string{"请勿打扰", "勿打扰", "勿扰", "免谈", "谢绝", "勿来", "莫来", "莫扰", "请绕道", "绕道", "止步", "免问",
		"勿问", "别来", "不予录用", "不予考虑", "概不录用", "请勿联系", "勿联系", "请勿应聘", "勿应聘", "免进", "不欢迎", "除外",
		"不要", "不招", "不行", "不考虑", "不聘", "不录用", "不收", "不用"}
	hardRejects = []string{"不要", "不招", "不行", "不考虑", "不聘", "不录用", "不收", "不用"}
	preference  = []string{"优先考虑", "优先录用", "优先", "为主", "最好", "更好", "更佳", "为佳"}
)

// homeWords are the words for "from here" and "from elsewhere"; unlike a place name they need
// no 人 after them ("谢绝外地", "本地优先").
var homeWords = []string{"外地", "外省", "外市", "外县", "外乡", "外来", "本地", "本市", "本省", "本县", "本区", "当地", "农村", "山区", "城里"}

// placeNames are the provinces, regions and the cities (all of Anhui's) posters name. Any other
// "XX省/市/县" is matched generically.
var placeNames = func() string {
	names := strings.Fields(`
		北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南
		广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 内蒙 广西 西藏 宁夏 新疆 香港 澳门
		东北 西北 西南 华北 华南 华东 华中 苏北 苏南 皖北 皖南 皖西 豫东 江浙 两广 潮汕 北方 南方
		合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 巢湖
		肥东 肥西 长丰 庐江 寿县 临泉 太和 界首 颍上 阜南 萧县 砀山 灵璧 泗县 怀远 固镇 凤阳 定远
		霍邱 金寨 舒城 霍山 桐城 怀宁 潜山 宿松 岳西 枞阳 含山 当涂 歙县 涡阳 蒙城 利辛 泾县 广德 宁国
		广州 深圳 杭州 南京 武汉 郑州 长沙 成都 西安 沈阳 哈尔滨 长春 济南 青岛 石家庄 太原 南昌
		福州 厦门 昆明 贵阳 南宁 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 海口 苏州 无锡 温州 徐州
		周口 驻马店 信阳 商丘 南阳 潮州 汕头 宁波 东莞 佛山 大连 洛阳 开封 连云港 盐城 淮安`)
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return strings.Join(names, "|")
}()

// ethnicGroups are the 55 minority nationalities, as they are written before 族.
const ethnicGroups = `回|维吾尔|藏|蒙古|蒙|彝|壮|苗|土家|满|朝鲜|侗|瑶|白|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|` +
	`柯尔克孜|土|达斡尔|仫佬|羌|布依|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|` +
	`德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺`

// decadesRE finds birth decades: 90后, 限80后, 80、90后优先, 00后勿扰.
var decadesRE = rx(`(?:(?:只招|只要|仅限|限|要求|需|须|最好是|最好)(?:是)?)?(?P<l>(?:\d{2}(?:后?[、,/和与及跟或-]?)){0,3})(?P<n>\d{2})后(?:的)?(?:人|小伙子|小伙|姑娘|年轻人)?(?:{PREF}|{REJ})?`)

var vocabularyRE = regexp.MustCompile(`\{[A-Z]+\}`)

// rx compiles a rule pattern after putting in the vocabulary.
func rx(pattern string) *regexp.Regexp {
	return regexp.MustCompile(vocabularyRE.ReplaceAllStringFunc(pattern, func(k string) string {
		v, ok := vocabulary[k[1:len(k)-1]]
		if !ok {
			panic("fairness: unknown word " + k)
		}
		return v
	}))
}

// rule is one way of writing a limit. If the pattern has a group named p, that group is the
// phrase reported, else the whole match. ok, if set, looks at the match and its surroundings.
//
// need, if set, lists words one of which every match contains: the rule only runs on the
// clauses that have one. That keeps the rules with long lists of names (provinces, ethnic
// groups) cheap. The one rule that may match across a clause (the birth decades, "80，90后")
// runs on the whole text if any clause has one.
type rule struct {
	kind string
	need []string
	re   *regexp.Regexp
	ok   func(m *match) bool
}

// Anchors for need.
var (
	ageWords      = []string{"岁", "年龄", "年纪", "岁数"}
	limitWords    = []string{"只", "仅", "限", "要", "需", "须", "必须", "最好"}
	sexWords      = []string{"男", "女"}
	hukouWords    = []string{"户口", "户籍"}
	rejectAny     = append(append([]string{}, rejectAfter...), rejectBefore...)
	rejectOrNon   = append([]string{"非"}, rejectBefore...)
	rejectOrBaoma = append([]string{"宝妈"}, rejectAfter...)
)

// rules are tried in order; where two hits overlap the earlier (then the longer) is kept.
var rules = []rule{
	// ---- age: an age limit other than the legal minimum (16, or 18 for some work). ----

	// 45岁以下, 45周岁以内, 年龄45岁及以下, 限45岁, 35岁左右, 40岁以上. Limits at 18 or below
	// (18岁以上, 16岁以下勿扰) are the law and pass; so does an age describing a client
	// (照顾80岁以上老人).
	{"age", ageWords, rx(`(?:{AGEWHO}{AGEVERB}|限|要求|须|需)?(?P<n>\d{2})(?P<y>周岁|岁)?(?:及以下|或以下|以下|以内|之内|及以上|或以上|以上|左右|上下|之下|内)(?:的)?(?:优先|为佳|最好)?`),
		func(m *match) bool { return m.has("a", "y") && m.num("n") > 18 && !m.describesClient() }},
	// 不超过45岁, 年龄≤45, 年龄不超过50, 最大45岁, 年龄不低于30.
	{"age", ageWords, rx(`(?:{AGEWHO}(?:要求|须|需|必须|最好|限制|控制)?(?:在|为|是|:)?)?(?:最大不超过|不得超过|不得大于|不得高于|不能超过|不能大于|不能高于|不可超过|不要超过|别超过|勿超过|不超过|不超|不大于|不高于|最大|最高|最多|上限|小于|低于|少于|不低于|不小于|不少于|大于|高于|超过|≤|<=|=<|<|≥|>=|=>|>|未满|不满|不到)(?P<n>\d{2})(?P<y>周岁|岁)?(?:以下|以内|以上)?`),
		func(m *match) bool { return m.has("a", "y") && m.num("n") > 18 && !m.describesClient() }},
	// 18-45岁, 18至45周岁, 年龄18~45, 年龄在二十到四十五岁之间.
	{"age", ageWords, rx(`(?:{AGEWHO}{AGEVERB}|限|要求|须|需|在)?(?P<n>\d{2})(?:周岁|岁)?(?:-|~|至|到)(?P<m>\d{2})(?P<y>周岁|岁)?(?:之间|以内|内|以下)?`),
		func(m *match) bool {
			n, k := m.num("n"), m.num("m")
			return m.has("a", "y") && n >= 14 && n < k && k > 18 && k <= 80 && !m.describesClient()
		}},
	// 50岁以上勿扰, 35+勿扰, 满45岁不要, 超过40岁的免谈.
	{"age", rejectAfter, rx(`(?P<over>超过|大于|高于|年满|满|过了|过)?(?P<n>\d{2})(?P<y>周岁|岁)?(?P<plus>\+)?(?:及以上|或以上|以上|及以下|或以下|以下)?(?:的)?(?:人员|者|人|朋友|大哥|大姐|阿姨|师傅)?{REJ}`),
		func(m *match) bool { return m.has("y", "plus", "over") && m.num("n") > 18 }},
	// Birth decades: 90后, 限80后, 80、90后优先, 00后勿扰 (九零后 arrives as 90后). Not a time:
	// 3:30后, 5点30后, 18:00后, 10月20后.
	{"age", []string{"后"}, decadesRE,
		func(m *match) bool { return m.birthDecades() }},
	// 1990年以后出生, 85年后出生.
	{"age", []string{"出生"}, rx(`(?:出生于)?(?:19)?(?P<n>[5-9]\d|0\d)年(?:以后|之后|后)出生(?:的)?`), nil},
	// 年轻人优先, 限年轻人, 要求年轻力壮, 青年为主.
	{"age", []string{"年轻", "年纪", "青年"}, rx(`(?:年轻人|年轻力壮|年纪轻|年纪小|小年轻|青年人?|年轻)(?:者|的|人)?(?:{PREF})|{LIMIT}(?:是)?(?:年轻人|年轻的|年轻力壮的?|年纪轻的?|年纪小的?|小年轻|青年人?|年轻)(?:{SEX})?`), nil},
	// 超龄勿扰, 老人免谈, 年纪大的不要, 谢绝老年人, 退休人员勿扰.
	{"age", rejectAfter, rx(`(?:超龄|大龄|高龄|中老年人?|老年人|老年|老人家|老人|老头|老太太|老太|大爷|大妈|退休人员|退休人士|退休的|退休|岁数大的?|年纪大的?|年龄大的?|年龄偏大的?|年龄过大的?|年纪偏大的?)(?:人员|人士|者|的)?{REJ}`), nil},
	{"age", rejectBefore, rx(`{REJPRE}(?:超龄|大龄|高龄|中老年人?|老年人|老人|退休人员|岁数大的?|年纪大的?|年龄大的?)`), nil},

	// ---- sex ----

	// 限男性, 只招女工, 仅限女性, 要求男, 最好是女的, 需男士. Not 不限男女 (a pair) nor
	// 只招女厕保洁 (a place).
	{"sex", sexWords, rx(`{LIMIT}(?:是)?{SEX}`), func(m *match) bool { return !m.sexPair() && !m.sexPlace() }},
	// 要男的, 要女工 at the start of a clause (not 主要, 需要 ...).
	{"sex", sexWords, rx(`要(?:是)?{SEX}`), func(m *match) bool { return !isHan(m.prev()) && !m.sexPair() && !m.sexPlace() }},
	// 优先录用男性, 优先考虑女士.
	{"sex", sexWords, rx(`优先(?:录用|考虑|招收|招聘|选择|招)?{SEX}`), func(m *match) bool { return !m.sexPair() && !m.sexPlace() }},
	// 性别：男, 性别要求女, 性别限男性.
	{"sex", sexWords, rx(`性别(?:要求|限制|限定|须|需|必须|最好)?(?:为|是|:)?(?:只招|只要|仅限|限)?{SEX}`),
		func(m *match) bool { return !m.sexPair() }},
	// 男 or 女 as a clause of its own, in a list of requirements: "招司机，男，本地人",
	// "女，35岁以下". Not "男，女均可".
	{"sex", sexWords, rx(`(?:男|女)(?:性|士|生)?`), func(m *match) bool {
		rest := m.s[m.loc[1]:]
		if m.loc[0] > 0 && !strings.ContainsRune(",:", m.prev()) || rest != "" && rest[0] != ',' {
			return false
		}
		rest = strings.TrimPrefix(rest, ",")
		return !strings.HasPrefix(rest, "男") && !strings.HasPrefix(rest, "女")
	}},
	// 男性优先, 女士优先, 男的为主. Not 男女优先, 子女优先.
	{"sex", sexWords, rx(`{SEX}{PREF}`), func(m *match) bool { return !m.sexAfterKin() }},
	// 不要女工, 谢绝女性, 不招男的.
	{"sex", sexWords, rx(`{REJPRE}{SEX}`), func(m *match) bool { return !m.sexPair() && !m.sexPlace() }},
	// 女的勿扰, 男士免谈, 女性一律不要, 妇女不招.
	{"sex", sexWords, rx(`{SEX}{REJ}`), func(m *match) bool { return !m.sexAfterKin() }},

	// ---- region: native place ----

	// 不招河南人, 谢绝外地人, 不要东北的.
	{"region", rejectBefore, rx(`{REJPRE}{PLACE}(?:本地)?{PSFX}`), func(m *match) bool { return m.placeNamed() }},
	// 河南人勿扰, 外地勿扰, 新疆籍免谈, 本地人不要.
	{"region", rejectAfter, rx(`{PLACE}(?:本地)?{PSFX}{REJ}`), func(m *match) bool { return m.placeNamed() }},
	// 只招合肥人, 限本地人, 仅限安徽籍, 只要本地的.
	{"region", limitWords, rx(`{LIMIT}(?:是)?{PLACE}(?:本地)?{PSFX}`), func(m *match) bool { return m.placeNamed() }},
	// 本地人优先, 安徽籍优先, 当地为主.
	{"region", preference, rx(`{PLACE}(?:本地)?{PSFX}{PREF}`), func(m *match) bool { return m.placeNamed() }},
	// 优先考虑本地人, 优先录用安徽籍.
	{"region", []string{"优先"}, rx(`优先(?:录用|考虑|招收|招聘|选择|招)?{PLACE}(?:本地)?{PSFX}`), func(m *match) bool { return m.placeNamed() }},
	// 本地人 as a clause of its own: "招司机，男，本地人，有驾照".
	{"region", []string{"本地人", "当地人", "本市人"}, rx(`(?:本地人|当地人|本市人)`), (*match).ownClause},
	// 老乡优先.
	{"region", []string{"老乡", "同乡"}, rx(`(?:老乡|同乡)(?:{PREF})`), nil},
	// 籍贯：安徽, 籍贯要求本省.
	{"region", []string{"籍贯"}, rx(`籍贯(?:要求|限制|限定|限|须|需|必须)?(?:为|是|在|:)?{PLACE}`), nil},

	// ---- ethnicity ----

	// 限汉族, 只招汉族, 民族：汉, 汉族优先.
	{"ethnicity", []string{"汉"}, rx(`{LIMIT}(?:是)?(?:汉族|汉人)(?:人|的|同胞)?`), nil},
	{"ethnicity", []string{"汉"}, rx(`民族(?:要求|限制|限定|限|须|需|必须)?(?:为|是|:)?(?:汉族|汉)`), nil},
	{"ethnicity", []string{"汉"}, rx(`(?:汉族|汉人)(?:人员|人|的|同胞)?{PREF}`), nil},
	// 汉族 as a clause of its own: "招厨师，汉族，男".
	{"ethnicity", []string{"汉"}, rx(`汉族人?`), (*match).ownClause},
	// 不招回族, 谢绝少数民族; 少数民族勿扰, 维族免谈.
	{"ethnicity", rejectBefore, rx(`{REJPRE}{ETH}(?:人|同胞|朋友|人员|的)?`), nil},
	{"ethnicity", rejectAfter, rx(`{ETH}(?:人|同胞|朋友|人员|的)?{REJ}`), nil},

	// ---- marriage ----

	// 已婚, 未婚, 离异, 丧偶: in a posting these only ever state a requirement ("已婚优先",
	// "限未婚"); "已婚未婚均可" and "婚否不限" pass.
	{"marriage", []string{"婚", "离异", "丧偶"}, rx(`(?:已婚|未婚|离异|丧偶)(?:[/或和与及]?(?:已婚|未婚|离异|丧偶))*`),
		func(m *match) bool {
			// 已婚夫妻可安排夫妻房 is lodging, not a limit (限已婚夫妻 is); 离异家庭 is a client.
			rest := m.s[m.loc[1]:]
			if strings.HasPrefix(rest, "家庭") {
				return false
			}
			return !strings.HasPrefix(rest, "夫妻") || strings.ContainsRune("限要需须只", m.prev())
		}},
	// 限单身, 单身优先.
	{"marriage", []string{"单身"}, rx(`{LIMIT}(?:是)?单身(?:者|人士|的)?|单身(?:者|人士|的|人员)?{PREF}`), nil},
	// 离婚的勿扰, 不要离婚的.
	{"marriage", []string{"离婚"}, rx(`离婚(?:的|者|人员|人士)?{REJ}|{REJPRE}离婚(?:的|者|人员)?`), nil},

	// ---- pregnancy and children ----

	// 孕妇勿扰, 有孕勿扰, 孕妇、哺乳期勿扰, 怀孕的不要. The condition itself is the phrase
	// reported (孕妇), as reviewers have always seen it. Not 孕妇装, 照顾孕妇.
	{"pregnancy", rejectAfter, rx(`(?P<p>{PREG}+)(?:的|中|期间)?(?:人员|者|女性|女士|妇女|女工)?{REJ}`), nil},
	// 不招孕妇, 谢绝哺乳期女性, 非孕期.
	{"pregnancy", rejectOrNon, rx(`{REJPRE}{PREG}(?:的)?(?:人员|者|女性|女士|妇女)?|非(?:孕妇|孕期|哺乳期)`), nil},
	// 两年内不能怀孕, 近期无生育计划, 不得生二胎.
	{"pregnancy", []string{"怀孕", "生育", "孩子", "小孩", "二胎", "二孩", "备孕"}, rx(`(?:\d+年内|近期|短期内|入职后)?(?:不能|不得|不可|不准|不许|不可以|暂不|近期不|暂无|没有|无)(?:怀孕|生育|生孩子|要孩子|要小孩|生小孩|生二胎|生二孩|备孕)(?:计划|打算)?`), nil},
	// 两年内不要孩子.
	{"pregnancy", []string{"年内"}, rx(`(?:\d+|[一二两三四五])年内(?:不要|不生|不能要)(?:孩子|小孩|二胎|二孩)`), nil},
	// 已育, 已生育, 未育: a requirement wherever they appear.
	{"pregnancy", []string{"育", "生子", "生过", "怀孕"}, rx(`(?:已生过孩子|已生育|未生育|已生子|未怀孕|已育|未育)(?:[/或和与及]?(?:已生育|未生育|已育|未育))*`), nil},
	// 有孩子的勿扰, 宝妈勿扰.
	{"pregnancy", rejectOrBaoma, rx(`有(?:小孩|孩子)的(?:人|人员|宝妈|女性)?{REJ}|宝妈(?:勿扰|免谈|莫扰|绕道|请绕道|不考虑|谢绝)|{REJPRE}宝妈`), nil},

	// ---- hukou ----

	// 本地户口, 本市户籍人员优先, 农村户口勿扰, 合肥户口. A hukou from elsewhere
	// (外地户口) is only a limit when refused. Not 户口本.
	{"hukou", hukouWords, rx(`非?{HX}(?:户口|户籍)(?:人员|的人|人士|者|的)?(?:{PREF}|{REJ})?`),
		func(m *match) bool {
			if rest := m.s[m.loc[1]:]; strings.HasPrefix(rest, "簿") ||
				strings.HasPrefix(rest, "本") && !strings.HasPrefix(rest, "本地") && !strings.HasPrefix(rest, "本市") &&
					!strings.HasPrefix(rest, "本省") && !strings.HasPrefix(rest, "本县") && !strings.HasPrefix(rest, "本区") {
				return false // 户口本, 户口簿: a document
			}
			if rest := strings.TrimPrefix(m.s[m.loc[1]:], "的"); strings.HasPrefix(rest, "员工") || strings.HasPrefix(rest, "同事") {
				return false // 本地户口的员工可以回家住: how staff are treated, not who is hired
			}
			return !strings.HasPrefix(m.group("hx"), "外") || m.group("rej") != ""
		}},
	// 户籍：本地, 户口在本市, 户籍要求安徽.
	{"hukou", hukouWords, rx(`(?:户口|户籍)(?:所在地)?(?:(?:要求|限制|限定|限|须|需|必须|仅限|只限)(?:为|是|在|属于|:)?|为|是|在|属于|:)非?{HX}`), nil},
	// 不要外地户口.
	{"hukou", hukouWords, rx(`{REJPRE}{HX}(?:户口|户籍)`), nil},
	// 限蜀山区户口, 只要三里庵镇户籍: a named division of any size after a limiting word. Not 户口本.
	{"hukou", hukouWords, rx(`(?:限|仅限|只限|只要|只招|要求)\p{Han}{1,6}(?:省|市|县|区|镇|乡)(?:户口|户籍)`),
		func(m *match) bool {
			rest := m.s[m.loc[1]:]
			return !strings.HasPrefix(rest, "本") && !strings.HasPrefix(rest, "簿")
		}},

	// ---- health ----

	// 乙肝, HIV, 艾滋: any mention is a screening requirement ("乙肝携带者不要", "无乙肝");
	// "不歧视乙肝" and "乙肝携带者也可以" pass. Not 乙肝疫苗, not "archive".
	{"health", []string{"乙", "hbv", "hiv", "艾滋", "三阳", "澳抗"}, rx(`乙型肝炎|乙肝|hbv|hiv|艾滋|大三阳|小三阳|澳抗`),
		func(m *match) bool {
			rest := m.s[m.loc[1]:]
			for _, w := range []string{"疫苗", "检测中心", "检测站", "检测点", "防治", "中心", "科室", "病房", "门诊", "宣传"} {
				if strings.HasPrefix(rest, w) {
					return false // a place of work: 乙肝疫苗接种点, HIV检测中心
				}
			}
			// Screening not done: 体检不含乙肝, 无需查乙肝.
			before := m.s[:m.loc[0]]
			for _, w := range []string{"不含", "不查", "不检查", "不检测", "不包括", "不包含", "不做", "无需", "不需要", "不用查", "不要求", "不用"} {
				if strings.HasSuffix(before, w) || strings.HasSuffix(before, w+"查") || strings.HasSuffix(before, w+"检查") {
					return false
				}
			}
			p, n := m.prev(), m.next()
			return !('a' <= p && p <= 'z') && !('a' <= n && n <= 'z')
		}},
	// 残疾人勿扰, 谢绝残障人士.
	{"health", rejectAny, rx(`(?:残疾人|残疾|残障人士|残障|聋哑人|聋哑|肢残)(?:的|者)?(?:人|人员|朋友|人士)?{REJ}|{REJPRE}(?:残疾人|残疾|残障人士|残障|聋哑人|聋哑)`), nil},
}

// ---------------------------------------------------------------------------------------------
// Matches and the checks around them

// match is one regexp match in the normalised text.
type match struct {
	s   string
	loc []int
	re  *regexp.Regexp
}

func (m *match) span(name string) (int, int) {
	i := m.re.SubexpIndex(name)
	if i < 0 || m.loc[2*i] < 0 {
		return -1, -1
	}
	return m.loc[2*i], m.loc[2*i+1]
}

func (m *match) group(name string) string {
	lo, hi := m.span(name)
	if lo < 0 {
		return ""
	}
	return m.s[lo:hi]
}

// has reports whether any of the named groups matched something.
func (m *match) has(names ...string) bool {
	for _, name := range names {
		if m.group(name) != "" {
			return true
		}
	}
	return false
}

func (m *match) num(name string) int {
	n, err := strconv.Atoi(m.group(name))
	if err != nil {
		return -1
	}
	return n
}

// phrase is the part of the match to report: the group p if there is one, else all of it.
func (m *match) phrase() (int, int) {
	if lo, hi := m.span("p"); lo >= 0 && hi > lo {
		return lo, hi
	}
	return m.loc[0], m.loc[1]
}

func runeBefore(s string, at int) rune {
	if at <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:at])
	return r
}

func runeAt(s string, at int) rune {
	if at >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[at:])
	return r
}

func (m *match) prev() rune { return runeBefore(m.s, m.loc[0]) }

// ownClause reports a match that is a whole clause, an item in a list of requirements.
func (m *match) ownClause() bool {
	return (m.loc[0] == 0 || strings.ContainsRune(",:", m.prev())) && (m.next() == 0 || m.next() == ',')
}
func (m *match) next() rune { return runeAt(m.s, m.loc[1]) }

// clientWords are who an age can describe in a posting without limiting the workers:
// 照顾85岁以上老人, 12岁以下儿童.
var clientWords = []string{"老人", "老年人", "老太", "老爷", "老奶奶", "老爷爷", "爷爷", "奶奶", "宝宝", "孩子", "小孩",
	"儿童", "婴儿", "幼儿", "学生", "患者", "病人", "客户", "顾客", "长辈", "父母", "母亲", "父亲", "老母亲", "老父亲", "房子", "楼"}

// describesClient reports whether the age is followed by a client rather than a worker.
func (m *match) describesClient() bool {
	rest := strings.TrimPrefix(m.s[m.loc[1]:], "的")
	for _, w := range clientWords {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// decades are the birth decades posters ask for (90后) or refuse (70后勿扰).
var decades = map[string]bool{"50": true, "55": true, "60": true, "65": true, "70": true, "75": true, "80": true,
	"85": true, "90": true, "95": true, "00": true, "05": true}

var digitsRE = regexp.MustCompile(`\d+`)

// birthDecades checks a "NN后" match is about birth decades, not a time (3:30后, 5点30后,
// 18:00后, 10月20后, 满50后) nor a word or a place (后勤, 后厨, 后街).
func (m *match) birthDecades() bool {
	lo, hi := m.span("n")
	if !decades[m.s[lo:hi]] {
		return false
	}
	for _, d := range digitsRE.FindAllString(m.group("l"), -1) {
		if !decades[d] {
			return false
		}
	}
	first := lo
	if l, _ := m.span("l"); l >= 0 && l < lo {
		first = l
	}
	if strings.ContainsRune(":.点时分满月号日第", runeBefore(m.s, first)) || isDigit(runeBefore(m.s, first)) && first > 0 {
		return false
	}
	after := runeAt(m.s, hi+len("后"))
	if strings.ContainsRune("勤厨台院门续期面边方排半天街巷路楼座栋", after) && after != 0 {
		return false
	}
	// 80后的老板: describes someone else.
	rest := strings.TrimPrefix(m.s[hi+len("后"):], "的")
	for _, w := range []string{"老板", "店主", "老师", "团队", "客户", "顾客", "房东"} {
		if strings.HasPrefix(rest, w) {
			return false
		}
	}
	return true
}

// sexPair reports 男女 / 女男: both sexes, so no limit (不限男女, 要求男女各半).
func (m *match) sexPair() bool {
	_, hi := m.span("sx")
	r := runeAt(m.s, hi)
	return r == '男' || r == '女'
}

// sexAfterKin reports a 男/女 that belongs to the word before it: 男女优先, 子女勿扰, 儿女.
func (m *match) sexAfterKin() bool {
	lo, _ := m.span("sx")
	return strings.ContainsRune("男女子儿孙侄甥母父", runeBefore(m.s, lo))
}

// placeWords after 男/女 make a place or product, not a person: 女厕, 男装, 女生宿舍.
// So do the people the worker serves or works with: 男同事陪同, 女顾客.
var placeWords = []string{"厕", "装", "鞋", "宿舍", "浴室", "更衣", "卫生间", "寝室", "病房", "澡堂", "专用", "部",
	"同事", "顾客", "客人", "客户", "患者", "病人", "老人", "业主"}

func (m *match) sexPlace() bool {
	rest := m.s[m.loc[1]:]
	for _, w := range placeWords {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// placeNamed checks a region match: not a residence (住在肥西的优先); a named place needs a person after it (河南人, 安徽籍) —
// "限合肥市区" is where the work is, not who may do it — except before a plain refusal (河南勿扰).
// 外地/本地 without a person are a limit only at the end of the clause or before 优先
// ("限本地", but not "需本地户口", "要求本地有住处").
func (m *match) placeNamed() bool {
	// Where one lives is not where one is from: 住在肥西的优先, 家住本地的优先, 离合肥近.
	if strings.ContainsRune("住在离近", m.prev()) {
		return false
	}
	x := strings.TrimPrefix(m.group("x"), "非")
	ps := m.group("ps")
	home := false
	for _, w := range homeWords {
		if x == w {
			home = true
		}
	}
	if ps != "" {
		return true
	}
	rej := m.group("rej")
	if rej != "" {
		return home || !hardReject(rej)
	}
	if !home {
		return false
	}
	r := m.next()
	return !isHan(r) || strings.HasPrefix(m.s[m.loc[1]:], "优先")
}

// hardReject reports a refusal word that also starts ordinary sentences (不要, 不用 ...).
func hardReject(rej string) bool {
	for _, w := range hardRejects {
		if strings.HasSuffix(rej, w) {
			return true
		}
	}
	return false
}

// accept applies the rule's own check and then the checks every rule shares, except the
// welcome forms (see welcomed).
func accept(ru *rule, m *match) bool {
	if ru.ok != nil && !ru.ok(m) {
		return false
	}
	s, lo, hi := m.s, m.loc[0], m.loc[1]
	// A number inside a longer number is not an age: "20045岁", "不超过500元".
	if isDigit(runeAt(s, lo)) && (isDigit(m.prev()) || m.prev() == '.') {
		return false
	}
	if isDigit(runeBefore(s, hi)) && isDigit(m.next()) {
		return false
	}
	// Negated limits: 不限男女, 不要求本地人, 无需男性; and words with 限 in them: 有限公司,
	// 期限, 上限, 年限.
	for _, w := range []string{"限", "要求", "需", "须", "只", "仅", "必须", "最好"} {
		if strings.HasPrefix(s[lo:], w) {
			p := m.prev()
			if strings.ContainsRune("不无没非", p) || w == "限" && strings.ContainsRune("有上下期时权界局极年额", p) {
				return false
			}
		}
	}
	// A refusal word that goes on into a sentence is not a refusal: "女工不用上夜班",
	// "孕妇不要干重活", "本地不要求".
	if rej := m.group("rej"); rej != "" && hardReject(rej) {
		if r := m.next(); isHan(r) && !strings.ContainsRune("了啊哈哦呢吧来打联报应投问谢的", r) {
			return false
		}
	}
	return true
}

// welcomeBefore and welcomeAfter are the words that turn a group of people into a welcome:
// 欢迎50岁以上, 不歧视乙肝; 50岁以上也可以, 已婚未婚均可.
var (
	welcomeBefore = regexp.MustCompile(`(?:欢迎|接受|也招|也收|也要|可以是|包括|不论|无论|不分|不管|不介意|不歧视|不排斥|不在乎|不计较)` +
		`(?:年龄|性别|婚否|民族|户籍|籍贯|地区|各类|各种|所有|任何|是否|年满|各|在|是|为|满|的)*$`)
	// 不限 only counts at the start of the clause ("不限已婚未婚"): in "男女不限45岁以下" it
	// belongs to 男女.
	welcomeStart = regexp.MustCompile(`^(?:不限|无论|不论|不管)(?:年龄|性别|婚否|民族|户籍|籍贯|地区|是否|的)*$`)
	welcomeAfter = []string{"也可以", "也可", "也行", "也要", "也收", "也招", "均可", "都可", "都行", "皆可", "亦可",
		"也欢迎", "都欢迎", "亦欢迎", "无所谓", "没关系", "不介意", "不忌讳", "没问题", "不影响", "照样录用", "一样录用"}
	// A welcome after the phrase must be about it: in "45岁以下男女都可以" 都可以 is about 男女.
	subjects = map[string][]string{
		"age": {"年龄"}, "sex": {"男女", "女男", "性别"}, "hukou": {"户口", "户籍"}, "ethnicity": {"民族"},
		"marriage": {"婚否"}, "": {"学历", "经验"},
	}
)

// aboutOther reports whether s names a subject other than kind: 男女, 年龄, 户口, 学历 ...
func aboutOther(s, kind string) bool {
	for k, words := range subjects {
		if k == kind {
			continue
		}
		for _, w := range words {
			if strings.Contains(s, w) {
				return true
			}
		}
	}
	return false
}

// welcomed reports whether the clause around s[lo:hi] welcomes the people the phrase (of the
// kind given) names.
func welcomed(s string, lo, hi int, kind string) bool {
	start := strings.LastIndexByte(s[:lo], ',') + 1
	before := s[start:lo]
	if welcomeBefore.MatchString(before) || welcomeStart.MatchString(before) {
		return true
	}
	after := s[hi:]
	if end := strings.IndexByte(after, ','); end >= 0 {
		after = after[:end]
	}
	if strings.HasSuffix(after, "欢迎") && !strings.HasSuffix(after, "不欢迎") &&
		utf8.RuneCountInString(after) <= 6 && !aboutOther(after, kind) {
		return true
	}
	best := -1
	for _, w := range welcomeAfter {
		if i := strings.Index(after, w); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return false
	}
	gap := after[:best]
	return utf8.RuneCountInString(gap) <= 8 && !aboutOther(gap, kind)
}
