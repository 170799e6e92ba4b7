// The application the spark-submit tests run: counts a range with Spark, or fails on request.
import org.apache.spark.sql.SparkSession;

public class HeadwaterCount {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("fail")) {
            System.out.println("reading the input");
            System.err.println("the input is broken: line 7");
            System.exit(3);
        }
        SparkSession spark = SparkSession.builder().appName("headwater-count").getOrCreate();
        long counted = spark.range(Long.parseLong(args[0])).count();
        System.out.println("counted " + counted);
        spark.stop();
    }
}
