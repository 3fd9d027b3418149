function main(d) {
    return d.getUTCHours();
}
