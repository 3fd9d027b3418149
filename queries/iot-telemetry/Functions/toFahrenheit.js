// Degrees Celsius to degrees Fahrenheit; NULL stays NULL.
function main(celsius) {
  if (celsius === null || celsius === undefined) return null;
  return celsius * 9 / 5 + 32;
}
