function main(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
}
