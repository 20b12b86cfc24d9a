package model

import (
	"reflect"
	"testing"
)

func TestCheckDiscrimination(t *testing.T) {
	tests := []struct {
		text string
		want []Flag
	}{
		{"招搬运工，限男性，45岁以下，本地人优先", []Flag{{Phrase: "限男性", Kind: "sex"}, {Phrase: "45岁以下", Kind: "age"}, {Phrase: "本地人优先", Kind: "region"}}},
		{"男女不限，年龄不限，日结200元", nil},
		{"仅限女工，未婚，要求本地户口", []Flag{{Phrase: "仅限女工", Kind: "sex"}, {Phrase: "未婚", Kind: "marriage"}, {Phrase: "本地户口", Kind: "hukou"}}},
		{"年龄不超过50，孕妇勿扰", []Flag{{Phrase: "年龄不超过50", Kind: "age"}, {Phrase: "孕妇", Kind: "pregnancy"}}},
		{"18-40周岁，汉族优先，乙肝携带者不要", []Flag{{Phrase: "18-40周岁", Kind: "age"}, {Phrase: "汉族优先", Kind: "ethnicity"}, {Phrase: "乙肝", Kind: "health"}}},
		{"谢绝外地人，90后优先", []Flag{{Phrase: "谢绝外地人", Kind: "region"}, {Phrase: "90后优先", Kind: "age"}}},
		{"小区保洁，早7点到下午5点，包午饭", nil},
	}
	for _, tc := range tests {
		got := CheckDiscrimination(tc.text)
		if len(got) == 0 && len(tc.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.text, got, tc.want)
		}
	}
	// The same phrase in title and description is reported once.
	if got := CheckDiscrimination("限男性", "搬货，限男性"); len(got) != 1 {
		t.Errorf("duplicates: %v", got)
	}
}
