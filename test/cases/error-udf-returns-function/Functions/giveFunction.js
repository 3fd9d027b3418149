function main(x) {
    return function () { return x; };
}
