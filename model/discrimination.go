package model

import (
	"regexp"
	"sort"
)

// Flag is a phrase of a posting that limits who may apply in a way the Employment Promotion Law forbids.
type Flag struct {
	Phrase string `json:"phrase"`
	Kind   string `json:"kind"` // age, sex, region, ethnicity, marriage, pregnancy, hukou, health
}

// discriminationRules are the phrasings seen in real postings. They aim at limits ("限男性", "45岁以下",
// "本地人优先"), not at neutral words: "男女不限" and "年龄不限" pass.
var discriminationRules = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"age", regexp.MustCompile(`\d{2}\s*(?:周岁|岁)\s*(?:以下|以上|以内|之间|之内|左右)`)},
	{"age", regexp.MustCompile(`\d{2}\s*[-~—至到]\s*\d{2}\s*(?:周岁|岁)`)},
	{"age", regexp.MustCompile(`年龄\s*(?:不超过|不大于|不高于|不低于|不小于|限制在|要求在|限|须|需|要求)\s*\d*`)},
	{"age", regexp.MustCompile(`(?:限|只招|只要|仅限)?\s*\d0后(?:优先)?`)},
	{"age", regexp.MustCompile(`(?:年轻人?|年轻力壮)(?:优先|为主)|限年轻人?|(?:不要|不招|谢绝)(?:老人|老年人|超龄)`)},
	{"sex", regexp.MustCompile(`(?:限|只招|只要|仅限|仅招|要求)\s*(?:男|女)(?:性|士|工)?`)},
	{"sex", regexp.MustCompile(`(?:男|女)(?:性|士|工)?\s*优先`)},
	{"sex", regexp.MustCompile(`(?:不要|不招|谢绝)\s*(?:男|女)(?:性|士|工)?`)},
	{"region", regexp.MustCompile(`本地(?:人|户籍人员)?\s*优先|(?:限|只招|只要|仅限)\s*本地人?`)},
	{"region", regexp.MustCompile(`(?:不要|不招|谢绝)\s*外地人?|外地人?\s*勿扰`)},
	{"ethnicity", regexp.MustCompile(`(?:限|只招|只要|仅限)\s*汉族|汉族\s*优先|(?:不要|不招|谢绝)\s*(?:少数民族|[回维藏蒙彝壮苗]族)`)},
	{"marriage", regexp.MustCompile(`已婚|未婚|离异`)},
	{"pregnancy", regexp.MustCompile(`孕妇|怀孕|孕期|哺乳期|已育|未育`)},
	{"hukou", regexp.MustCompile(`(?:本地|城镇|农村|非农|本市)?户口|户籍`)},
	{"health", regexp.MustCompile(`乙肝|HIV|艾滋`)},
}

// CheckDiscrimination finds every discriminatory phrase in the texts, each once, in order of appearance.
func CheckDiscrimination(texts ...string) []Flag {
	type hit struct {
		Flag
		at int
	}
	var hits []hit
	seen := map[string]bool{}
	for ti, text := range texts {
		for _, rule := range discriminationRules {
			for _, loc := range rule.re.FindAllStringIndex(text, -1) {
				phrase := text[loc[0]:loc[1]]
				if seen[phrase] {
					continue
				}
				seen[phrase] = true
				hits = append(hits, hit{Flag{Phrase: phrase, Kind: rule.kind}, ti<<20 + loc[0]})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]Flag, len(hits))
	for i, h := range hits {
		out[i] = h.Flag
	}
	return out
}
