// Kilometres to miles, rounded to one decimal.
function main(km) {
  return Math.round(km / 1.609344 * 10) / 10;
}
