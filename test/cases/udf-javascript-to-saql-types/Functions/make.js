function main(kind) {
    switch (kind) {
        case "int": return 4.0;
        case "float": return 2.5;
        case "text": return "abc";
        case "date": return new Date(Date.UTC(2021, 5, 1, 12, 30, 0));
        case "object": return { a: 1, b: [true] };
        case "array": return [1, "x"];
        case "null": return null;
        default: return undefined;
    }
}
