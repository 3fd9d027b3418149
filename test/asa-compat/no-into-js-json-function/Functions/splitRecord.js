// Splits 'a;b' into [{part: 'a'}, {part: 'b'}].
function main(record) {
  return record.split(';').map(function (p) { return { part: p }; });
}
