// Degrees Celsius to degrees Fahrenheit.
function main(celsius) {
    return celsius * 9 / 5 + 32;
}
