package fairness

import (
	"bufio"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

type corpusLine struct {
	no          int
	label, kind string
	text        string
}

// readCorpus reads testdata/corpus.tsv: label<TAB>kind<TAB>text, # comments, \uXXXX escapes.
func readCorpus(t testing.TB) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []corpusLine
	sc := bufio.NewScanner(f)
	for no := 1; sc.Scan(); no++ {
		raw := sc.Text()
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		fields := strings.SplitN(raw, "\t", 3)
		if len(fields) != 3 || fields[0] != "flag" && fields[0] != "pass" || (fields[0] == "flag") == (fields[1] == "") {
			t.Fatalf("corpus.tsv:%d: want flag<TAB>kind<TAB>text or pass<TAB><TAB>text, got %q", no, raw)
		}
		text, err := unescape(fields[2])
		if err != nil {
			t.Fatalf("corpus.tsv:%d: %v", no, err)
		}
		lines = append(lines, corpusLine{no, fields[0], fields[1], text})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// unescape turns \uXXXX into the code point.
func unescape(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, `\u`)
		if i < 0 || i+6 > len(s) {
			b.WriteString(s)
			return b.String(), nil
		}
		v, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
		if err != nil {
			return "", err
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(v))
		s = s[i+6:]
	}
}

// TestCorpus measures the checker on the labelled corpus. A flag line is caught when a phrase
// of the expected kind is reported; a line flagged is correct when it is a flag line caught.
// recall = caught / flag lines; precision = correct / lines flagged.
func TestCorpus(t *testing.T) {
	lines := readCorpus(t)
	var flagLines, passLines, caught, flagged, correct int
	for _, l := range lines {
		got := Check(l.text)
		hit := false
		for _, f := range got {
			if f.Kind == l.kind {
				hit = true
			}
			if !strings.Contains(l.text, f.Phrase) {
				t.Errorf("corpus.tsv:%d: phrase %q is not in the text %q", l.no, f.Phrase, l.text)
			}
		}
		if l.label == "flag" {
			flagLines++
			if hit {
				caught++
			} else {
				t.Logf("MISS   corpus.tsv:%d [%s] %q -> %v", l.no, l.kind, l.text, got)
			}
		} else {
			passLines++
		}
		if len(got) > 0 {
			flagged++
			if l.label == "flag" && hit {
				correct++
			} else if l.label == "pass" {
				t.Logf("FALSE  corpus.tsv:%d %q -> %v", l.no, l.text, got)
			}
		}
	}
	recall := float64(caught) / float64(max(flagLines, 1))
	precision := float64(correct) / float64(max(flagged, 1))
	t.Logf("corpus: %d lines (%d flag, %d pass)", len(lines), flagLines, passLines)
	t.Logf("recall    %d/%d = %.2f%%", caught, flagLines, 100*recall)
	t.Logf("precision %d/%d = %.2f%%", correct, flagged, 100*precision)
	if flagLines < 150 || passLines < 120 {
		t.Errorf("corpus too small: %d flag and %d pass lines", flagLines, passLines)
	}
	if recall < 0.98 {
		t.Errorf("recall %.2f%% is below 98%%", 100*recall)
	}
	if precision < 0.98 {
		t.Errorf("precision %.2f%% is below 98%%", 100*precision)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		texts []string
		want  []Flag
	}{
		{[]string{"招搬运工，限男性，45岁以下，本地人优先"}, []Flag{{"限男性", "sex"}, {"45岁以下", "age"}, {"本地人优先", "region"}}},
		{[]string{"男女不限，年龄不限，日结200元"}, nil},
		{[]string{"仅限女工，未婚，要求本地户口"}, []Flag{{"仅限女工", "sex"}, {"未婚", "marriage"}, {"本地户口", "hukou"}}},
		{[]string{"年龄不超过50，孕妇勿扰"}, []Flag{{"年龄不超过50", "age"}, {"孕妇", "pregnancy"}}},
		{[]string{"18-40周岁，汉族优先，乙肝携带者不要"}, []Flag{{"18-40周岁", "age"}, {"汉族优先", "ethnicity"}, {"乙肝", "health"}}},
		{[]string{"谢绝外地人，90后优先"}, []Flag{{"谢绝外地人", "region"}, {"90后优先", "age"}}},
		// The phrase is the original text, invisible and full-width characters and all.
		{[]string{"限\u200b男性"}, []Flag{{"限\u200b男性", "sex"}}},
		{[]string{"限　男性，４５岁以下"}, []Flag{{"限　男性", "sex"}, {"４５岁以下", "age"}}},
		{[]string{"四十五岁以下"}, []Flag{{"四十五岁以下", "age"}}},
		{[]string{"僅限男性，本地戶口"}, []Flag{{"僅限男性", "sex"}, {"本地戶口", "hukou"}}},
		{[]string{"限，男，性"}, []Flag{{"限，男，性", "sex"}}},
		{[]string{"孕妇、哺乳期女性勿扰"}, []Flag{{"孕妇、哺乳期", "pregnancy"}}},
		// Order of appearance across the texts; each phrase once.
		{[]string{"限男性", "搬货，限男性"}, []Flag{{"限男性", "sex"}}},
		{[]string{"河南人勿扰", "45岁以下，河南人勿扰，限男性"}, []Flag{{"河南人勿扰", "region"}, {"45岁以下", "age"}, {"限男性", "sex"}}},
		{[]string{"", "保洁"}, nil},
		{nil, nil},
	}
	for _, tc := range tests {
		got := Check(tc.texts...)
		if len(got) == 0 && len(tc.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.texts, got, tc.want)
		}
	}
}

// TestPhraseInOriginal checks every reported phrase can be found in the text it came from,
// whatever the text is made of.
func TestPhraseInOriginal(t *testing.T) {
	texts := []string{
		"限\u200b男\u200d性，\u202e45岁以下\u202c，河\ufeff南人勿扰",
		"ＨＩＶ阴性，１８－４５岁，九零後優先",
		"e\u0301限男性\u0301",
		"限男性\xff\xfe45岁以下",
		"\u2060\u2060\u2060",
		"限",
		"四十五",
		"限 男 性 ， 4 5 岁 以 下",
	}
	for _, text := range texts {
		for _, f := range Check(text) {
			if f.Phrase == "" || !strings.Contains(text, f.Phrase) {
				t.Errorf("%q: phrase %q is not a substring", text, f.Phrase)
			}
		}
	}
	// Over the corpus too, with the texts run together as one posting.
	var all []string
	for _, l := range readCorpus(t) {
		all = append(all, l.text)
	}
	joined := strings.Join(all, "\n")
	got := Check(joined)
	if len(got) == 0 {
		t.Fatal("nothing flagged in the whole corpus")
	}
	for _, f := range got {
		if !strings.Contains(joined, f.Phrase) {
			t.Errorf("phrase %q is not a substring of the corpus", f.Phrase)
		}
	}
}

// TestRandomText runs Check on random mixes of the characters the rules care about, invisible
// characters, punctuation and invalid UTF-8: it must not panic and every phrase must be a
// substring of its text.
func TestRandomText(t *testing.T) {
	pieces := []string{"限", "男", "女", "性", "岁", "以下", "后", "勿扰", "本地", "人", "户口", "河南", "乙肝", "孕妇",
		"已婚", "不", "欢迎", "也可以", "四", "十", "五", "零", "九", "4", "5", "0", ":", "，", "、", "-", " ", "　",
		"\u200b", "\u202e", "\ufeff", "\u0301", "\xff", "\n", "(", "!", "优先", "汉族", "籍", "a", "HIV"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.IntN(12); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		for _, f := range Check(text) {
			if f.Phrase == "" || !strings.Contains(text, f.Phrase) {
				t.Fatalf("%q: phrase %q is not a substring", text, f.Phrase)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"限　男性，４５岁以下":            "限男性,45岁以下",
		"限\u200b男\u202e性\u2069": "限男性",
		"僅限男性，戶口":               "仅限男性,户口",
		"十八至四十五岁":               "18至45岁",
		"九零后、八五后":               "90后85后",
		"零工市场，十分钟":              "零工市场,十分钟",
		"限-男-性 / 18-45岁":        "限男性/18-45岁",
		"男女不限 45岁以下":            "男女不限45岁以下",
		"限，男，性":                 "限男性",
		"男女不限，年龄不限":             "男女不限,年龄不限",
		"下午3:30后，3.5元":          "下午3:30后,3.5元",
		"HIV test":              "hiv test",
	}
	for in, want := range tests {
		if got := normalize(in).s; got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// posting is a typical posting of about 300 characters.
const posting = `【急招】合肥经开区物流园招装卸搬运工10名，日结工资每天220元，多劳多得，另有满勤奖。` +
	`工作时间：早上7:30到下午5:30，中午休息一个半小时，下午3:30后视情况可提前收工。` +
	`工作内容：家电、家具、建材的装车卸车，需要一定体力，公司提供手套、安全帽和工作服。` +
	`包午饭，提供宿舍（四人间，有空调、热水器、WiFi），水电全免。男女不限，年龄不限，欢迎50岁以上身体好的师傅，` +
	`外地朋友也欢迎。有叉车证的优先安排叉车岗位，工资另议。报名请带身份证原件，当天面试当天上岗，` +
	`地址：合肥市经济技术开发区紫云路与莲花路交口物流园3号库，联系电话见下方，请勿在夜间十点后来电。`

func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(posting)))
	for b.Loop() {
		Check("装卸搬运工（日结）", posting)
	}
}
