package model

import "lingong/model/fairness"

// Flag is a phrase of a posting that limits who may apply in a way the Employment Promotion Law forbids.
// Phrase is a substring of the text the employer typed; Kind is one of age, sex, region, ethnicity,
// marriage, pregnancy, hukou, health. The checker itself is package fairness.
type Flag = fairness.Flag

// CheckDiscrimination finds every discriminatory phrase in the texts, each once, in order of appearance.
// It aims at limits ("限男性", "45岁以下", "本地人优先"), not at neutral words: "男女不限" and "年龄不限" pass.
func CheckDiscrimination(texts ...string) []Flag {
	return fairness.Check(texts...)
}
