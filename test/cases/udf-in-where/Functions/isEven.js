function main(n) {
    return n % 2 === 0 ? 1 : 0;
}
