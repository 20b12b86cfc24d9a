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
		{"招搬运工，限男性，45岁以下，本地人优先", []Flag{{"限男性", "sex"}, {"45岁以下", "age"}, {"本地人优先", "region"}}},
		{"男女不限，年龄不限，日结200元", nil},
		{"仅限女工，未婚，要求本地户口", []Flag{{"仅限女工", "sex"}, {"未婚", "marriage"}, {"本地户口", "hukou"}}},
		{"年龄不超过50，孕妇勿扰", []Flag{{"年龄不超过50", "age"}, {"孕妇", "pregnancy"}}},
		{"18-40周岁，汉族优先，乙肝携带者不要", []Flag{{"18-40周岁", "age"}, {"汉族优先", "ethnicity"}, {"乙肝", "health"}}},
		{"谢绝外地人，90后优先", []Flag{{"谢绝外地人", "region"}, {"90后优先", "age"}}},
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
