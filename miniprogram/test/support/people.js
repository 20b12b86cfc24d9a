// idNumber makes a valid 18-digit ID number of a person born in 蜀山区 on birth (YYYYMMDD), seq telling people apart.
function idNumber(birth, seq) {
  const base = '340104' + birth + String(seq).padStart(3, '0')
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(base[i]) * w[i]
  return base + '10X98765432'[sum % 11]
}

module.exports = { idNumber }
